import Foundation

/// Reader for IDX files (MNIST / Fashion-MNIST), plain or gzip-compressed, unsigned-byte data.
public struct IDXFile {
    public let dimensions: [Int]
    public let bytes: [UInt8]

    /// The unsigned-byte IDX encoding (magic 0x0000 08 nd, big-endian 32-bit dimensions, then the bytes) that
    /// `init(contentsOf:)` reads back. The bytes are written as given, so a test can build short or long payloads.
    public static func encoded(dimensions: [Int], bytes: [UInt8]) -> [UInt8] {
        precondition(dimensions.count < 256 && dimensions.allSatisfy { (0...Int(UInt32.max)).contains($0) },
                     "IDX holds at most 255 dimensions of at most 2³² − 1")
        var out: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for d in dimensions { out += [UInt8((d >> 24) & 0xFF), UInt8((d >> 16) & 0xFF), UInt8((d >> 8) & 0xFF), UInt8(d & 0xFF)] }
        return out + bytes
    }

    public init(contentsOf url: URL) throws {
        var raw = try Data(contentsOf: url)
        if raw.count >= 2 && raw[raw.startIndex] == 0x1f && raw[raw.startIndex + 1] == 0x8b {
            raw = try inflate(raw, gzip: true)
        }
        let b = [UInt8](raw)
        var r = ByteReader(b, littleEndian: false, context: url.path)
        let magic = try r.uint32()
        guard magic >> 16 == 0, (magic >> 8) & 0xFF == 0x08 else {
            throw DataFileError(file: url.path, message: "not an unsigned-byte IDX file (magic \(String(magic, radix: 16)))")
        }
        let nd = Int(magic & 0xFF)
        var dims = [Int]()
        for _ in 0..<nd { dims.append(Int(try r.uint32())) }
        let count = try DataFileError.checkedCount(dims, bytesPerElement: 1, available: r.remaining, file: url.path)
        bytes = Array(try r.take(count))
        dimensions = dims
    }
}

/// Fashion-MNIST as shipped by Debian's `dataset-fashion-mnist`: 28×28 grey images with labels 0–9.
public struct FashionMNIST {
    public static let defaultDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    /// Pixel intensities scaled to [0, 1], one image of 784 values per row.
    public let images: [[Float]]
    public let labels: [Int]

    /// Loads the training (`train: true`, 60 000) or test (10 000) split, optionally only the first `limit` images.
    public init(images imagesURL: URL, labels labelsURL: URL, limit: Int? = nil) throws {
        let img = try IDXFile(contentsOf: imagesURL), lab = try IDXFile(contentsOf: labelsURL)
        guard img.dimensions.count == 3, lab.dimensions.count == 1, img.dimensions[0] == lab.dimensions[0] else {
            throw DataFileError(file: imagesURL.path, message: "image/label shapes \(img.dimensions) / \(lab.dimensions) do not match")
        }
        let n = min(limit ?? img.dimensions[0], img.dimensions[0])
        let size = img.dimensions[1] * img.dimensions[2]
        images = (0..<n).map { i in img.bytes[i * size ..< (i + 1) * size].map { Float($0) / 255 } }
        labels = lab.bytes.prefix(n).map(Int.init)
    }
}
