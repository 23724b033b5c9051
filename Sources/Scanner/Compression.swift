import LogModel

/// A compressed format that `LogFile` decompresses as it reads. Recognised by magic bytes, never by
/// the file's name.
public enum Compression: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case gzip, zstd, xz, bzip2

    public var description: String { rawValue }

    /// What the first bytes of a file say it is.
    public enum Detection: Sendable, Equatable {
        /// Text (or anything else read as bytes).
        case plain
        /// A compressed format that is read.
        case compressed(Compression)
        /// A format recognised but not read, with the reason told to the user.
        case unreadable(reason: String)
    }

    /// How many first bytes `detect` looks at (fewer in a shorter file).
    public static let sniffLength = 10

    /// The format of content that begins with `head` (its first `sniffLength` bytes, or all of a
    /// shorter file).
    public static func detect(_ head: UnsafeRawBufferPointer) -> Detection {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && magic.indices.allSatisfy { head[offset + $0] == magic[$0] }
        }
        for format in allCases where format.startsMember(head) {
            // "BZh1" could begin a text; bzip2 also needs the first block's (or the empty stream's) magic.
            if format == .bzip2, !(starts(Compression.bzipBlockMagic, at: 4) || starts(Compression.bzipEndMagic, at: 4))
            {
                continue
            }
            return .compressed(format)
        }
        if starts([0x04, 0x22, 0x4D, 0x18]) || starts([0x02, 0x21, 0x4C, 0x18]) {
            return .unreadable(
                reason:
                    "lz4-compressed, a format acrscan does not read (decompress it first: lz4 -dc FILE | acrscan scan -)"
            )
        }
        if starts(Array("LPKSHHRH".utf8)) {
            return .unreadable(
                reason:
                    "a journald binary journal file, which acrscan does not read (export it first: journalctl --file FILE -o short-iso | acrscan scan -)"
            )
        }
        return .plain
    }

    /// The bytes needed to tell whether a member (gzip member, zstd frame, xz stream, bzip2 stream)
    /// of this format begins.
    var magicLength: Int {
        switch self {
        case .gzip: 2
        case .zstd: 4
        case .xz: 6
        case .bzip2: 4
        }
    }

    /// Whether `bytes` begin a member of this format: the first, or one that follows the previous
    /// member in a multi-member file (logrotate, `cat a.gz b.gz`, pzstd, pbzip2, `xz` on several files).
    func startsMember(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= magicLength else { return false }
        switch self {
        case .gzip:
            return bytes[0] == 0x1F && bytes[1] == 0x8B
        case .zstd:
            // A frame (28 B5 2F FD) or a skippable frame (5? 2A 4D 18), little-endian magic numbers.
            if bytes[0] == 0x28, bytes[1] == 0xB5, bytes[2] == 0x2F, bytes[3] == 0xFD { return true }
            return bytes[0] & 0xF0 == 0x50 && bytes[1] == 0x2A && bytes[2] == 0x4D && bytes[3] == 0x18
        case .xz:
            return bytes[0] == 0xFD && bytes[1] == 0x37 && bytes[2] == 0x7A && bytes[3] == 0x58 && bytes[4] == 0x5A
                && bytes[5] == 0x00
        case .bzip2:
            return bytes[0] == 0x42 && bytes[1] == 0x5A && bytes[2] == 0x68 && (0x31...0x39).contains(bytes[3])
        }
    }

    /// The magic numbers that follow a bzip2 stream header: of its first block (pi), or of its end
    /// (sqrt(pi), in an empty stream).
    static let bzipBlockMagic: [UInt8] = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]
    static let bzipEndMagic: [UInt8] = [0x17, 0x72, 0x45, 0x38, 0x50, 0x90]
}
