import CSQLite
import LogModel

/// 64-bit FNV-1a of `bytes`, as a signed integer (SQLite's integers are signed): the key of an
/// excerpt in the `excerpts` table. Identical text, identical key; different text may collide,
/// so a lookup always compares the text too.
@inline(__always)
func fnv64(_ bytes: UnsafeRawBufferPointer) -> Int64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return Int64(bitPattern: h)
}

/// `fnv64` of a string's UTF-8 bytes.
func fnv64(_ text: String) -> Int64 {
    var text = text
    return text.withUTF8 { fnv64(UnsafeRawBufferPointer($0)) }
}

extension Connection {
    /// Adds the SQL function `fnv64(text)` (the excerpt key, as `fnv64(_:)` computes it), used by
    /// migration 4 and by merges. Deterministic and innocuous.
    func registerFunctions() {
        sqlite3_create_function_v2(
            handle, "fnv64", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            { context, _, arguments in
                guard let argument = arguments?[0], sqlite3_value_type(argument) != SQLITE_NULL else {
                    sqlite3_result_null(context)
                    return
                }
                let text = sqlite3_value_text(argument)
                let count = Int(sqlite3_value_bytes(argument))
                let hash = fnv64(UnsafeRawBufferPointer(start: text, count: count))
                sqlite3_result_int64(context, hash)
            }, nil, nil, nil)
    }
}

extension Connection {
    /// The row id of the last row inserted (`sqlite3_last_insert_rowid`).
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
}
