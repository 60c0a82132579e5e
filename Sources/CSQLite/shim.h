#ifndef PERSONA_CSQLITE_SHIM_H
#define PERSONA_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot import; this
   names it so bound text is copied by SQLite before the call returns. */
static inline sqlite3_destructor_type persona_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}
#endif
