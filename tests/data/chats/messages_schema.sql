-- Minimal macOS Messages (chat.db) schema for tests: the tables and columns an
-- importer of dates/directions needs, with the same names, types and defaults
-- as Apple's schema (column subset; see REPORT.md §4 for sources).
CREATE TABLE handle (
    ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE,
    id TEXT NOT NULL,                 -- '+15555550123' or 'ana@example.com'
    country TEXT,                     -- 'us', 'de', ... (lower-case ISO region)
    service TEXT NOT NULL,            -- 'iMessage' | 'SMS' | 'RCS'
    uncanonicalized_id TEXT,
    person_centric_id TEXT DEFAULT NULL,
    UNIQUE (id, service)
);
CREATE TABLE chat (
    ROWID INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT UNIQUE NOT NULL,        -- 'iMessage;-;+15555550123' (1:1) / 'iMessage;+;chat123456789' (group)
    style INTEGER,                    -- 45 = one-to-one ('-'), 43 = group ('+')
    state INTEGER,
    account_id TEXT,
    chat_identifier TEXT,             -- the handle id for 1:1, 'chat<digits>' for groups
    service_name TEXT,                -- 'iMessage' | 'SMS'
    room_name TEXT,
    display_name TEXT,                -- group name set by users; '' or NULL for 1:1
    group_id TEXT,
    is_archived INTEGER DEFAULT 0
);
CREATE TABLE message (
    ROWID INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT UNIQUE NOT NULL,
    text TEXT,                        -- often NULL on macOS 13+: body only in attributedBody
    handle_id INTEGER DEFAULT 0,      -- 0 for own messages in groups
    subject TEXT,
    attributedBody BLOB,
    service TEXT,                     -- 'iMessage' | 'SMS'
    date INTEGER,                     -- ns since 2001-01-01 UTC (macOS 10.13+); seconds before
    date_read INTEGER,
    date_delivered INTEGER,
    is_delivered INTEGER DEFAULT 0,
    is_from_me INTEGER DEFAULT 0,
    is_read INTEGER DEFAULT 0,
    is_sent INTEGER DEFAULT 0,
    is_system_message INTEGER DEFAULT 0,
    is_service_message INTEGER DEFAULT 0,
    cache_has_attachments INTEGER DEFAULT 0,
    item_type INTEGER DEFAULT 0,      -- 0 = ordinary message; others = group events etc.
    other_handle INTEGER DEFAULT 0,
    group_title TEXT,
    group_action_type INTEGER DEFAULT 0,
    associated_message_guid TEXT,
    associated_message_type INTEGER DEFAULT 0,  -- 2000-2005 tapback added, 3000-3005 removed
    balloon_bundle_id TEXT,
    expressive_send_style_id TEXT,
    date_edited INTEGER DEFAULT 0,
    thread_originator_guid TEXT
);
CREATE TABLE chat_handle_join (
    chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
    handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE,
    UNIQUE(chat_id, handle_id)
);
CREATE TABLE chat_message_join (
    chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
    message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE,
    message_date INTEGER DEFAULT 0,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX chat_message_join_idx_message_date_id_chat_id ON chat_message_join(chat_id, message_date, message_id);
