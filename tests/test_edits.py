"""Quick edits: set, snooze, pause, unpause and triage change one front-matter line per key, byte for byte."""

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from vaultnet.cli.main import main
from vaultnet.edits.quick import EditError, set_keys

from conftest import examples, write

NOTE = (
    "---\n"
    "# who she is\n"
    "circle: inner   # since the offsite\n"
    "cadence: '2w'\n"
    "company: \"Northwind\"  # \"quoted\"\n"
    "aliases: [Ana, 'A. S.']\n"
    "offers:\n"
    "  - design reviews\n"
    "---\n"
    "Met in Lisbon.\n"
    "circle: not front matter\n"
)


def changed_lines(before: bytes, after: bytes) -> list[tuple[bytes, bytes]]:
    old, new = before.split(b"\n"), after.split(b"\n")
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_a_changed_key_keeps_its_comment_and_every_other_byte():
    data = NOTE.encode()
    new, keys = set_keys(data, {"circle": "close"})
    assert keys == ["circle"]
    assert new == data.replace(b"circle: inner   # since", b"circle: close   # since")


def test_quotes_are_kept_where_the_value_allows():
    data = NOTE.encode()
    new, _ = set_keys(data, {"cadence": "3mo", "company": 'Acme "Labs"'})
    assert changed_lines(data, new) == [
        (b"cadence: '2w'", b"cadence: '3mo'"),
        (b'company: "Northwind"  # "quoted"', b'company: "Acme \\"Labs\\""  # "quoted"'),
    ]


def test_a_missing_key_is_one_new_line_before_the_closing_dashes():
    data = NOTE.encode()
    new, keys = set_keys(data, {"location": "Lisbon", "paused": True})
    assert keys == ["location", "paused"]
    assert new == data.replace(b"  - design reviews\n---\n", b"  - design reviews\nlocation: Lisbon\npaused: true\n---\n")


def test_crlf_and_bom_are_kept():
    data = b"\xef\xbb\xbf" + NOTE.replace("\n", "\r\n").encode()
    new, _ = set_keys(data, {"circle": "close", "snooze_until": "2026-12-24"})
    expected = data.replace(b"circle: inner ", b"circle: close ").replace(
        b"  - design reviews\r\n---\r\n", b"  - design reviews\r\nsnooze_until: 2026-12-24\r\n---\r\n")
    assert new == expected


def test_the_same_value_changes_nothing():
    data = NOTE.encode()
    assert set_keys(data, {"circle": "inner", "cadence": "2w"}) == (data, [])


@pytest.mark.parametrize(("before", "after"), [
    (b"---\ncircle:\nx: 1\n---\n", b"---\ncircle: close\nx: 1\n---\n"),  # an empty property, as templates leave them
    (b"---\ncircle:   # pick one\n---\n", b"---\ncircle: close   # pick one\n---\n"),
    (b"---\r\ncircle:\r\n---\r\n", b"---\r\ncircle: close\r\n---\r\n"),
])
def test_an_empty_value_is_filled_in_on_its_line(before, after):
    assert set_keys(before, {"circle": "close"}) == (after, ["circle"])


def test_a_note_without_front_matter_gets_one():
    assert set_keys(b"Just text.\n", {"circle": "close"}) == (b"---\ncircle: close\n---\nJust text.\n", ["circle"])


@pytest.mark.parametrize(("text", "why"), [
    ("---\nlocation: Rome\nlocation: Oslo\n---\n", "more than once"),
    ("---\nlocation: >\n  Lisbon\n---\n", "several lines"),
    ("---\nlocation: Lisbon,\n  Portugal\n---\n", "several lines"),
    ("---\nlocation:\n  - Lisbon\n---\n", "several lines"),
    ("---\nlocation: 'Lis\n  bon'\n---\n", "several lines"),
    ("---\n{location: Lisbon}\n---\n", "cannot change"),
    ("---\nlocation: [unclosed\n---\n", "cannot be read"),
    ("---\nlocation: Lisbon\n", "no closing"),
])
def test_what_cannot_change_on_one_line_is_refused(text, why):
    with pytest.raises(EditError, match=why):
        set_keys(text.encode(), {"location": "Porto"})


def test_non_utf8_is_refused():
    with pytest.raises(EditError, match="UTF-8"):
        set_keys(b"---\ncircle: \xff\n---\n", {"circle": "close"})


KEYS = st.sampled_from(["company", "role", "met", "x-note", "rating"])
PLAIN = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    others=st.dictionaries(KEYS, PLAIN, max_size=4),
    old=st.one_of(st.none(), PLAIN),
    new=PLAIN,
    comment=st.booleans(), crlf=st.booleans(), bom=st.booleans(),
)
def test_setting_a_key_changes_exactly_one_line(others, old, new, comment, crlf, bom):
    from vaultnet.edits.properties import yaml_lines

    lines = ["---", "# kept comment"]
    for key, value in others.items():
        lines.extend(yaml_lines(key, value))
    if old is not None:
        lines.append(yaml_lines("location", old)[0] + ("  # where" if comment else ""))
    lines += ["---", "body: not front matter", ""]
    newline = "\r\n" if crlf else "\n"
    data = (("\ufeff" if bom else "") + newline.join(lines)).encode()
    try:
        result, keys = set_keys(data, {"location": new})
    except EditError:
        return  # refusing is always allowed; changing anything else never is
    if old == new:
        assert (result, keys) == (data, [])
        return
    assert keys == ["location"]
    before, after = data.split(b"\n"), result.split(b"\n")
    if old is None:
        assert len(after) == len(before) + 1
        index = next(i for i, line in enumerate(after) if line.startswith(b"location:"))
        assert after[:index] + after[index + 1:] == before
    else:
        changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
        assert len(changed) == 1 and after[changed[0]].startswith(b"location:")
        assert after[changed[0]].endswith(b"  # where" + (b"\r" if crlf else b"")) == comment
    import yaml

    from vaultnet.notes.note import NoteLoader
    front = result.decode().removeprefix("\ufeff").replace("\r\n", "\n").split("---\n")[1]
    assert yaml.load(front, Loader=NoteLoader)["location"] == new


# ---------------------------------------------------------------- commands


def run(vault, *args, **kwargs):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", *args], **kwargs)


@pytest.fixture
def people(vault):
    write(vault, "People/Ana Souza.md", b"\xef\xbb\xbf---\r\ncircle: inner # c\r\naliases: [Ana]\r\n---\r\n- 2026-11-02 #coffee x\r\n")
    write(vault, "People/Bob.md", "---\ncompany: Acme\n---\n- 2026-10-01 hello [[Cy]]\n- 2026-09-01 again\n")
    write(vault, "People/Cy.md", "---\n---\n")
    write(vault, "People/Di.md", "Di has no front matter.\n")
    write(vault, "People/Ed.md", "---\ncircle: close\npaused: true\n---\n")
    return vault


def read(vault, name):
    return (vault / "People" / f"{name}.md").read_bytes()


def test_set_several_people_and_keys(people):
    result = run(people, "set", "ana", "bob", "--circle", "close", "--location", "Lisbon", "--cadence", "30")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["set circle, cadence, location in People/Ana Souza.md",
                                          "set circle, cadence, location in People/Bob.md"]
    assert read(people, "Ana Souza") == (b"\xef\xbb\xbf---\r\ncircle: close # c\r\naliases: [Ana]\r\n"
                                         b"cadence: 30\r\nlocation: Lisbon\r\n---\r\n- 2026-11-02 #coffee x\r\n")
    again = run(people, "set", "ana", "--circle", "close")
    assert again.output == "unchanged People/Ana Souza.md\n"


def test_set_refuses_bad_values_and_unknown_names_before_writing(people):
    before = read(people, "Bob")
    for args in (["--circle", "nope"], ["--cadence", "2m"], ["--birthday", "1990-02-30"], ["--last-contact", "soon"]):
        result = run(people, "set", "bob", *args)
        assert result.exit_code == 2 and "Invalid value" in result.output
    result = run(people, "set", "bob", "nobody", "--circle", "close")
    assert result.exit_code == 1 and "nobody" in result.output
    assert read(people, "Bob") == before


def test_set_with_renamed_fields(people):
    (people / "vaultnet.toml").write_text('[fields]\ncircle = "prm-circle"\n')
    assert run(people, "set", "cy", "--circle", "inner").exit_code == 0
    assert read(people, "Cy") == b"---\nprm-circle: inner\n---\n"


def test_snooze_duration_or_date(people):
    assert run(people, "snooze", "bob", "2w").exit_code == 0
    assert read(people, "Bob") == b"---\ncompany: Acme\nsnooze_until: 2026-12-05\n---\n- 2026-10-01 hello [[Cy]]\n- 2026-09-01 again\n"
    assert run(people, "snooze", "bob", "2027-01-10").exit_code == 0
    assert b"snooze_until: 2027-01-10\n" in read(people, "Bob")
    for bad in ("2026-11-21", "yesterday"):
        result = run(people, "snooze", "bob", bad)
        assert result.exit_code == 2, result.output
    assert b"snooze_until: 2027-01-10\n" in read(people, "Bob")


def test_pause_and_unpause(people):
    assert run(people, "pause", "di").exit_code == 0
    assert read(people, "Di") == b"---\npaused: true\n---\nDi has no front matter.\n"
    result = run(people, "unpause", "ed")
    assert result.output == "set paused in People/Ed.md\n"
    assert read(people, "Ed") == b"---\ncircle: close\npaused: false\n---\n"
    result = run(people, "unpause", "ed")
    assert "not paused" in result.output and read(people, "Ed") == b"---\ncircle: close\npaused: false\n---\n"


def test_an_edit_that_cannot_be_made_is_one_line_naming_the_note(people):
    write(people, "People/Fe.md", "---\nlocation: >\n  Lisbon\n---\n")
    result = run(people, "set", "fe", "--location", "Porto")
    assert result.exit_code == 1
    assert result.output == "Error: People/Fe.md: location has a value over several lines; edit it by hand\n"


def test_triage_walks_untracked_people_most_mentioned_first(people):
    # Bob: 2 interactions, Cy: 1 (mentioned in Bob's log), Di: 0. Ana and Ed are tracked or paused.
    result = run(people, "triage", input="2p")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("[1/3] Bob — Acme") < out.index("[2/3] Cy") < out.index("[3/3] Di")
    assert "2026-10-01  note     hello [[Cy]]" in out or "2026-10-01  note     hello Cy" in out
    assert "[1] inner  [2] close  [3] network  [4] acquaintance  [p] pause  [space] skip  [q] quit" in out
    assert out.rstrip().endswith("1 given a circle, 1 paused, 0 skipped, 1 left")
    assert read(people, "Bob") == b"---\ncompany: Acme\ncircle: close\n---\n- 2026-10-01 hello [[Cy]]\n- 2026-09-01 again\n"
    assert read(people, "Cy") == b"---\npaused: true\n---\n"
    assert read(people, "Di") == b"Di has no front matter.\n"


def test_triage_skip_ignores_other_keys_and_quits(people):
    result = run(people, "triage", input="x9 4q")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("1 given a circle, 0 paused, 1 skipped, 1 left")
    assert b"circle" not in read(people, "Bob")
    assert read(people, "Cy") == b"---\ncircle: acquaintance\n---\n"
    assert run(people, "triage", input="1").output.count("[1/") == 1  # Bob and Di remain; the input ends


def test_triage_without_a_terminal_reads_keys_from_standard_input(people):
    import subprocess
    import sys

    # A new session has no controlling terminal, as under cron or in a pipeline.
    result = subprocess.run(
        [sys.executable, "-m", "vaultnet", "--vault", str(people), "--today", "2026-11-21", "triage"],
        input="3 p", capture_output=True, text=True, timeout=30, start_new_session=True)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.rstrip().endswith("1 given a circle, 1 paused, 1 skipped, 0 left")
    assert b"circle: network\n" in read(people, "Bob") and read(people, "Di").startswith(b"---\npaused: true\n")


class RepeatedEdits(RuleBasedStateMachine):
    """Many quick edits on one note: the front matter says what was set, and nothing else ever moves."""

    def __init__(self) -> None:
        super().__init__()
        self.crlf = self.bom = False
        self.data = b""
        self.model: dict[str, object] = {}

    @initialize(crlf=st.booleans(), bom=st.booleans())
    def start(self, crlf, bom):
        newline = "\r\n" if crlf else "\n"
        text = newline.join(["---", "# mine", "company: 'Acme'  # keep", "tags: [person]", "---", "circle: body", ""])
        self.data = (("\ufeff" if bom else "") + text).encode()
        self.crlf, self.bom = crlf, bom
        self.model = {"company": "Acme", "tags": ["person"]}

    @rule(key=st.sampled_from(["circle", "location", "company", "snooze_until", "paused"]),
          value=st.one_of(PLAIN, st.booleans(), st.dates().map(lambda d: d.isoformat())))
    def set_one(self, key, value):
        before = self.data
        try:
            self.data, keys = set_keys(self.data, {key: value})
        except EditError:
            assert self.data == before
            return
        changed = self.model.get(key, _ABSENT) != value
        assert keys == ([key] if changed else [])
        old, new = before.split(b"\n"), self.data.split(b"\n")
        assert len(new) - len(old) in (0, 1)
        kept = [line for line in new if not line.startswith(key.encode() + b":")]
        assert kept == [line for line in old if not line.startswith(key.encode() + b":")]
        self.model[key] = value

    @invariant()
    def front_matter_is_the_model(self):
        import yaml

        from vaultnet.notes.note import NoteLoader

        if not self.data:
            return
        assert self.data.startswith(b"\xef\xbb\xbf") == self.bom
        assert self.data.count(b"\n") == self.data.count(b"\r\n") if self.crlf else b"\r" not in self.data
        text = self.data.decode().removeprefix("\ufeff").replace("\r\n", "\n")
        assert yaml.load(text.split("---\n")[1], Loader=NoteLoader) == self.model
        assert text.endswith("---\ncircle: body\n") and "# mine\n" in text and "  # keep" in text


_ABSENT = object()
TestRepeatedEdits = RepeatedEdits.TestCase
TestRepeatedEdits.settings = settings(max_examples=examples(40), stateful_step_count=12)


def test_a_note_saved_during_set_is_read_again_and_kept(people, monkeypatch):
    """``set`` uses the one write-with-retry policy: the user's save survives and the key is still set."""
    import vaultnet.files.writes as writes

    real = writes.safe_write
    calls = []

    def racing(root, rel, data, expected):
        if not calls:
            calls.append(rel)
            (root / rel).write_bytes(expected + b"- 2026-11-20 a new line\n")
        return real(root, rel, data, expected)

    monkeypatch.setattr(writes, "safe_write", racing)
    assert run(people, "set", "bob", "--circle", "close").exit_code == 0
    assert read(people, "Bob") == (b"---\ncompany: Acme\ncircle: close\n---\n- 2026-10-01 hello [[Cy]]\n"
                                   b"- 2026-09-01 again\n- 2026-11-20 a new line\n")


def test_set_and_snooze_change_a_key_whatever_its_case(vault):
    """``Company:`` and ``Snooze Until:`` are the keys vaultnet reads: they change in place, never twice."""
    write(vault, "People/Fay.md", "---\nCompany: Acme  # hers\nBirthday: 1990-01-02\nSnooze Until: 2026-01-01\n---\n")
    assert run(vault, "set", "fay", "--company", "Globex", "--birthday", "1990-03-04").exit_code == 0
    assert run(vault, "snooze", "fay", "2026-12-24").exit_code == 0
    assert (vault / "People/Fay.md").read_text() == (
        "---\nCompany: Globex  # hers\nBirthday: 1990-03-04\nSnooze Until: 2026-12-24\n---\n")
    import json

    [fay] = json.loads(run(vault, "status", "--json").output)["contacts"]
    assert (fay["snooze_until"], fay["next_birthday"]) == ("2026-12-24", "2027-03-04")


def test_the_key_vaultnet_reads_is_the_one_changed():
    """Two spellings of one key: the first is what vaultnet reads, so that is the one set changes."""
    data = b"---\nCompany: A\ncompany: B\n---\n"
    assert set_keys(data, {"company": "C"}) == (b"---\nCompany: C\ncompany: B\n---\n", ["company"])


@pytest.mark.parametrize(("body", "after"), [
    ("circle:: inner\n", "circle:: close\n"),
    ("- Circle:: inner  \n", "- Circle:: close  \n"),
    ("Met at [circle:: inner] in Lisbon.\n", "Met at [circle:: close] in Lisbon.\n"),
])
def test_a_key_kept_as_a_dataview_inline_field_changes_there(body, after):
    """Dataview inline fields are keys too: changed on their line, never copied into the front matter."""
    data = ("---\ncompany: Acme\n---\n" + body).encode()
    assert set_keys(data, {"circle": "close", "cadence": "2w"}) == (
        ("---\ncompany: Acme\ncadence: 2w\n---\n" + after).encode(), ["circle", "cadence"])
    assert set_keys(body.encode(), {"circle": "close"}) == (after.encode(), ["circle"])


def test_an_inline_field_written_twice_is_refused():
    with pytest.raises(EditError, match="more than once"):
        set_keys(b"circle:: inner\n- circle:: close\n", {"circle": "network"})
