#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call: these wrappers expose the options the
// Workspace sets before SQLite initializes.
static inline int csqlite_config_memstatus(int enabled) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, enabled);
}

// The cursor of the `import_rows` table-valued function (Workspace's RowFeed): SQLite's base
// first, as every virtual table cursor must begin.
typedef struct csqlite_feed_cursor {
    sqlite3_vtab_cursor base;
    void *feed;
    sqlite3_int64 row;
} csqlite_feed_cursor;

// The type name of the pointer bound for `import_rows`: SQLite keeps it, so it must be static.
static inline const char *csqlite_feed_pointer_type(void) {
    return "contact_import_rows";
}

// sqlite3_vtab_config is variadic: the function may only be named directly in a statement's
// SQL, never from a trigger or a view a database file could carry.
static inline int csqlite_vtab_direct_only(sqlite3 *db) {
    return sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
}
