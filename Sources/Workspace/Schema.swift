import CSQLite
import Localization

/// Versioned schema. `PRAGMA user_version` records how many migrations a database has had;
/// each migration runs once, in its own IMMEDIATE transaction, so two processes opening a new
/// workspace at the same moment cannot both apply it.
enum Schema {
    static let migrations: [String] = [
        // 1: the first schema.
        """
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            first_name TEXT,
            last_name TEXT,
            phone TEXT,
            email TEXT,
            language TEXT,
            country_code TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        -- Not unique: several contacts may share a phone or an e-mail (an ambiguous match).
        CREATE INDEX contacts_phone ON contacts(phone);
        CREATE INDEX contacts_email ON contacts(email);

        -- tag_key is the tag folded by Swift (full Unicode case folding, which NOCASE lacks).
        CREATE TABLE contact_tags (
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            tag_key TEXT NOT NULL,
            tag TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (contact_id, tag_key)
        ) WITHOUT ROWID;
        CREATE INDEX contact_tags_tag ON contact_tags(tag_key);

        CREATE TABLE custom_fields (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            options TEXT NOT NULL DEFAULT '[]',
            created_at INTEGER NOT NULL
        );

        CREATE TABLE custom_values (
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            field_id INTEGER NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
            value TEXT NOT NULL,
            PRIMARY KEY (contact_id, field_id)
        ) WITHOUT ROWID;

        CREATE TABLE import_jobs (
            id INTEGER PRIMARY KEY,
            file_name TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('running', 'completed', 'cancelled', 'failed', 'interrupted')),
            import_tag TEXT,
            imported INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            drifted INTEGER NOT NULL DEFAULT 0,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            result_path TEXT,
            result_expires_at INTEGER,
            result_available INTEGER NOT NULL DEFAULT 0,
            -- Who ran the job, for people reading the history. Liveness is never judged from
            -- these (pids are reused): the flock on import.lock is the proof of life.
            owner_pid INTEGER,
            owner_host TEXT,
            owner_started_at INTEGER
        );
        CREATE INDEX import_jobs_running ON import_jobs(state) WHERE state = 'running';
        CREATE INDEX import_jobs_expiry ON import_jobs(result_expires_at) WHERE result_available = 1;
        """,
        // 2: remembered mappings, written by completed imports.
        """
        -- header_set: the file's normalized headers joined by U+001F; columns: one line per
        -- column, "field<TAB>overwrite" (an empty field = the column was skipped).
        CREATE TABLE remembered_header_sets (
            header_set TEXT PRIMARY KEY,
            columns TEXT NOT NULL,
            purpose TEXT,
            identifier TEXT,
            default_country TEXT,
            remembered_at INTEGER NOT NULL
        );
        CREATE TABLE remembered_headers (
            header_key TEXT PRIMARY KEY,
            field TEXT,
            overwrite INTEGER NOT NULL,
            remembered_at INTEGER NOT NULL
        );
        """,
        // 3: undo. Jobs gain the `undone` state, the link between an import and its undo, and
        // an undo's counts; each import logs what it changed, for its undo.
        """
        CREATE TABLE import_jobs_v3 (
            id INTEGER PRIMARY KEY,
            file_name TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('running', 'completed', 'cancelled', 'failed', 'interrupted', 'undone')),
            import_tag TEXT,
            imported INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            drifted INTEGER NOT NULL DEFAULT 0,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            result_path TEXT,
            result_expires_at INTEGER,
            result_available INTEGER NOT NULL DEFAULT 0,
            owner_pid INTEGER,
            owner_host TEXT,
            owner_started_at INTEGER,
            undoes INTEGER,
            undone_by INTEGER,
            removed INTEGER NOT NULL DEFAULT 0,
            restored INTEGER NOT NULL DEFAULT 0,
            conflicts INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO import_jobs_v3 (id, file_name, state, import_tag, imported, updated, skipped, errors, drifted,
            started_at, finished_at, result_path, result_expires_at, result_available, owner_pid, owner_host, owner_started_at)
            SELECT id, file_name, state, import_tag, imported, updated, skipped, errors, drifted, started_at, finished_at,
            result_path, result_expires_at, result_available, owner_pid, owner_host, owner_started_at FROM import_jobs;
        DROP TABLE import_jobs;
        ALTER TABLE import_jobs_v3 RENAME TO import_jobs;
        CREATE INDEX import_jobs_running ON import_jobs(state) WHERE state = 'running';
        CREATE INDEX import_jobs_expiry ON import_jobs(result_expires_at) WHERE result_available = 1;

        -- One row per contact an import added (added = 1) or updated: b_* the contact before
        -- the import (updates only), a_* as the import left it. Tags are joined by U+001F in
        -- their order; custom values are "name U+001E value" joined by U+001F.
        CREATE TABLE import_undo_log (
            job_id INTEGER NOT NULL,
            contact_id INTEGER NOT NULL,
            added INTEGER NOT NULL,
            b_first_name TEXT, b_last_name TEXT, b_phone TEXT, b_email TEXT, b_language TEXT, b_country_code TEXT,
            b_tags TEXT, b_custom TEXT,
            a_first_name TEXT, a_last_name TEXT, a_phone TEXT, a_email TEXT, a_language TEXT, a_country_code TEXT,
            a_tags TEXT, a_custom TEXT, a_updated_at INTEGER,
            PRIMARY KEY (job_id, contact_id)
        ) WITHOUT ROWID;
        """,
        // 4: the contacts version, and added contacts logged as id ranges.
        """
        -- One row. contacts_version goes up by one in every write transaction that may change
        -- contacts (any write but the job slot's bookkeeping), of any process: a commit whose
        -- review read the same version knows its matches still stand.
        CREATE TABLE workspace_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            contacts_version INTEGER NOT NULL
        );
        INSERT INTO workspace_state (id, contacts_version) VALUES (1, 0);

        -- The contacts an import added, as ranges of consecutive ids (an import's new rows get
        -- ids max + 1, max + 2… inside its write transaction), each written at written_at.
        CREATE TABLE import_undo_added (
            job_id INTEGER NOT NULL,
            first_id INTEGER NOT NULL,
            last_id INTEGER NOT NULL,
            written_at INTEGER NOT NULL,
            PRIMARY KEY (job_id, first_id)
        ) WITHOUT ROWID;
        """,
        // 5: a contact's tags on its row. One more B-tree entry per tag (two, with its index)
        // was most of an import's writes.
        """
        -- The tags in their order, joined by U+001F (which a stored tag never holds), NULL
        -- when none: the format the undo log already used.
        ALTER TABLE contacts ADD COLUMN tags TEXT;
        UPDATE contacts SET tags = (SELECT group_concat(replace(tag, char(31), ' '), char(31)) FROM \
            (SELECT tag FROM contact_tags t WHERE t.contact_id = contacts.id ORDER BY t.position)) \
            WHERE id IN (SELECT contact_id FROM contact_tags);
        -- Every tag key ever stored on a contact (never pruned): a key absent here is on no
        -- contact, which is all an import tag's uniqueness check needs to know in one lookup.
        CREATE TABLE tag_keys (tag_key TEXT PRIMARY KEY) WITHOUT ROWID;
        INSERT OR IGNORE INTO tag_keys (tag_key) SELECT tag_key FROM contact_tags;
        DROP TABLE contact_tags;
        """,
        // 6: phones and e-mails indexed by integer keys (`LookupKeys`): entries half the size of
        // the text's, so a large import's adds change half the index pages.
        """
        ALTER TABLE contacts ADD COLUMN phone_key INTEGER;
        ALTER TABLE contacts ADD COLUMN email_key INTEGER;
        UPDATE contacts SET phone_key = contact_phone_key(phone), email_key = contact_email_key(email) \
            WHERE phone IS NOT NULL OR email IS NOT NULL;
        DROP INDEX contacts_phone;
        DROP INDEX contacts_email;
        CREATE INDEX contacts_phone_key ON contacts(phone_key);
        CREATE INDEX contacts_email_key ON contacts(email_key);
        """,
    ]

    /// The lookup indexes as the latest migration leaves them; bulk loads drop and rebuild them.
    static let createLookupIndexes = """
        CREATE INDEX contacts_phone_key ON contacts(phone_key);
        CREATE INDEX contacts_email_key ON contacts(email_key);
        """
    static let dropLookupIndexes = "DROP INDEX contacts_phone_key; DROP INDEX contacts_email_key;"

    static var currentVersion: Int { migrations.count }

    /// The key column of an indexed contact column and the SQL function that computes it
    /// (`contact_phone_key`, `contact_email_key`, registered on every connection).
    static func lookupKey(of column: String) -> (column: String, function: String)? {
        switch column {
        case "phone": return ("phone_key", "contact_phone_key")
        case "email": return ("email_key", "contact_email_key")
        default: return nil
        }
    }

    /// `column = expression`, and its key's assignment after it when the column is indexed: every
    /// statement that stores a phone or an e-mail stores its key with it.
    static func assignments(_ column: String, _ expression: String) -> [String] {
        guard let key = lookupKey(of: column) else { return ["\(column) = \(expression)"] }
        return ["\(column) = \(expression)", "\(key.column) = \(key.function)(\(expression))"]
    }

    /// The columns and value expressions of an INSERT of these contact columns, each bound to
    /// its `:name` parameter, with the keys of the indexed ones: computed by SQL, or with
    /// `keysBound` bound by the caller to `:phone_key`, `:email_key` (`LookupKeys` of the bound
    /// text, NULL with it).
    static func insertColumns(_ columns: [String], keysBound: Bool = false) -> (names: [String], values: [String]) {
        var names: [String] = []
        var values: [String] = []
        for column in columns {
            names.append(column)
            values.append(":" + column)
            if let key = lookupKey(of: column) {
                names.append(key.column)
                values.append(keysBound ? ":" + key.column : "\(key.function)(:\(column))")
            }
        }
        return (names, values)
    }

    static func migrate(_ connection: Connection) throws(WorkspaceError) {
        while true {
            try connection.execute("BEGIN IMMEDIATE")
            do throws(WorkspaceError) {
                let version = try userVersion(connection)
                if version > currentVersion {
                    throw WorkspaceError(kind: .cannotOpen, text: LocalizedText(
                        en: "The workspace at \(connection.path) was created by a newer version of the contact importer (schema \(version)); update the importer.",
                        es: "El espacio de trabajo en \(connection.path) lo creó una versión más reciente del importador de contactos (esquema \(version)); actualice el importador.",
                        pt: "O espaço de trabalho em \(connection.path) foi criado por uma versão mais recente do importador de contatos (esquema \(version)); atualize o importador."))
                }
                if version == currentVersion {
                    try connection.execute("COMMIT")
                    return
                }
                try connection.execute(migrations[version])
                try connection.execute("PRAGMA user_version = \(version + 1)")
                try connection.execute("COMMIT")
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    static func userVersion(_ connection: Connection) throws(WorkspaceError) -> Int {
        let statement = try connection.statement("PRAGMA user_version")
        defer { statement.reset() }
        return try statement.step() ? statement.int(0) : 0
    }
}
