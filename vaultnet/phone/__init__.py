"""The phone: contacts and reminders as vdirs (folders of ``.vcf`` and ``.ics`` files) that vdirsyncer
keeps in step with a CardDAV or CalDAV server, both ways (docs/phone.md).

``vdir`` reads and writes the folders, ``cards`` maps a person to a card and
back, ``merge`` is the three-way merge of what the vault and the phone changed,
``additions`` puts the phone's new values into a note as new front-matter
lines, ``state`` keeps what both sides last agreed on (in the vault, so any
device can run the next sync), ``brief`` writes what the card and the
reminders say about the relationship, ``contacts`` and ``calendar`` are the two
syncs, and ``runner`` runs them with the commands around them (``[sync]``), for
``vaultnet sync`` and the watcher.
"""
