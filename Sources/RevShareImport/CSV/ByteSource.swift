#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A pull-based stream of bytes, read in chunks.
///
/// `read(into:)` fills a prefix of `buffer` and returns how many bytes it wrote. It returns 0 only
/// at the end of the stream (and keeps returning 0 afterwards); a short read is not the end.
public protocol ByteSource {
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

// MARK: - Files and standard input

/// Why a file could not be opened or read. `description` is a one-line human message.
public struct FileSourceError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case notFound
        case permissionDenied
        case isDirectory
        /// Any other `errno` from `open(2)`, `fstat(2)` or `read(2)`.
        case other
    }

    /// The path as given (`<stdin>` for standard input).
    public var path: String
    public var kind: Kind
    /// The `errno` value, or 0 when not applicable.
    public var code: Int32
    public var description: String

    public init(path: String, kind: Kind, code: Int32, description: String) {
        self.path = path
        self.kind = kind
        self.code = code
        self.description = description
    }

    static func fromErrno(_ code: Int32, path: String, doing action: String?) -> FileSourceError {
        let kind: Kind
        switch code {
        case ENOENT, ENOTDIR: kind = .notFound
        case EACCES, EPERM: kind = .permissionDenied
        case EISDIR: kind = .isDirectory
        default: kind = .other
        }
        let reason = String(cString: strerror(code))
        let what = action.map { "\($0): " } ?? ""
        return FileSourceError(path: path, kind: kind, code: code, description: "\(path): \(what)\(reason)")
    }
}

/// Reads a file descriptor with `read(2)`: a regular file opened from a path, or standard input.
///
/// A source opened from a path owns its descriptor and closes it on `deinit` (or `close()`);
/// the standard-input source never closes descriptor 0. Not thread-safe; use it from one task.
public final class FileByteSource: ByteSource {
    public let fileDescriptor: Int32
    /// The path as given, or `<stdin>`.
    public let path: String
    private let ownsDescriptor: Bool
    private var isClosed = false

    /// Opens `path` for reading. A directory is refused up front with `.isDirectory` (rather than
    /// failing at the first read).
    public init(path: String) throws(FileSourceError) {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        if fd < 0 {
            throw FileSourceError.fromErrno(errno, path: path, doing: "cannot open")
        }
        var info = stat()
        if fstat(fd, &info) != 0 {
            let code = errno
            _ = Self.systemClose(fd)
            throw FileSourceError.fromErrno(code, path: path, doing: "cannot open")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            _ = Self.systemClose(fd)
            throw FileSourceError(path: path, kind: .isDirectory, code: EISDIR,
                                  description: "\(path): is a directory")
        }
        self.fileDescriptor = fd
        self.path = path
        self.ownsDescriptor = true
    }

    /// Wraps an already open descriptor. `closeOnDeinit` says whether this source owns it.
    public init(fileDescriptor: Int32, path: String, closeOnDeinit: Bool) {
        self.fileDescriptor = fileDescriptor
        self.path = path
        self.ownsDescriptor = closeOnDeinit
    }

    /// Standard input (descriptor 0), shown as `<stdin>` in messages. Never closed by this source.
    public static func standardInput() -> FileByteSource {
        FileByteSource(fileDescriptor: 0, path: "<stdin>", closeOnDeinit: false)
    }

    /// Reads up to `buffer.count` bytes, retrying on `EINTR`. Throws `FileSourceError`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Self.systemRead(fileDescriptor, base, buffer.count)
            if n >= 0 { return n }
            let code = errno
            if code == EINTR { continue }
            throw FileSourceError.fromErrno(code, path: path, doing: nil)
        }
    }

    /// Closes an owned descriptor now (idempotent). Later reads fail with `EBADF`.
    public func close() {
        if ownsDescriptor && !isClosed {
            isClosed = true
            _ = Self.systemClose(fileDescriptor)
        }
    }

    deinit {
        close()
    }

    private static func systemRead(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.read(fd, base, count)
        #elseif canImport(Musl)
        return Musl.read(fd, base, count)
        #else
        return Darwin.read(fd, base, count)
        #endif
    }

    private static func systemClose(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        return Glibc.close(fd)
        #elseif canImport(Musl)
        return Musl.close(fd)
        #else
        return Darwin.close(fd)
        #endif
    }
}

// MARK: - In-memory bytes

/// An in-memory source over `[UInt8]`, for tests and small inputs.
///
/// `maxReadSize` caps how many bytes one `read` returns, to exercise short reads.
public struct BytesByteSource: ByteSource, Sendable {
    public let bytes: [UInt8]
    public private(set) var offset: Int = 0
    public let maxReadSize: Int

    public init(_ bytes: [UInt8], maxReadSize: Int = .max) {
        precondition(maxReadSize > 0, "maxReadSize must be positive")
        self.bytes = bytes
        self.maxReadSize = maxReadSize
    }

    public init(_ string: String, maxReadSize: Int = .max) {
        self.init(Array(string.utf8), maxReadSize: maxReadSize)
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(buffer.count, maxReadSize, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<(offset + n)]))
        }
        offset += n
        return n
    }
}

// MARK: - Observation

/// Wraps a source and shows every chunk it yields, in order and exactly once, to `observer`
/// before the consumer sees it. Use it to hash the exact file content while streaming:
///
/// ```swift
/// var hasher = SHA256()
/// let source = ObservedByteSource(try FileByteSource(path: path)) { hasher.update(bufferPointer: $0) }
/// ```
///
/// The bytes observed are the raw input (a BOM included). The observer only sees what has been
/// read: a parse that stopped at an error has not hashed the rest (an import refused for a
/// syntax error never needs the hash, and never reads on to the end of an endless input).
public struct ObservedByteSource<Base: ByteSource>: ByteSource {
    public private(set) var base: Base
    /// Total bytes read from `base` so far.
    public private(set) var bytesConsumed: Int = 0
    private let observer: (UnsafeRawBufferPointer) -> Void

    public init(_ base: Base, observer: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.base = base
        self.observer = observer
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try base.read(into: buffer)
        if n > 0 {
            bytesConsumed += n
            observer(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return n
    }
}
