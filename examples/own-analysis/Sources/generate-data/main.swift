import Foundation
import Numerics

// Writes the template's data file: n samples of a bivariate normal with correlation ρ, each column passed through a
// monotone map (eˣ and y³ + y), which leaves the copula, and so the copula MI −½ log₂(1 − ρ²), unchanged.
// Seeded: the same arguments give the same bytes. Usage: generate-data OUT.csv [n = 2000] [ρ = 0.6] [seed = 20261202]
let args = CommandLine.arguments
guard args.count >= 2 else { FileHandle.standardError.write(Data("usage: generate-data OUT.csv [n] [rho] [seed]\n".utf8)); exit(2) }
let n = args.count > 2 ? Int(args[2]) ?? -1 : 2000
let rho = args.count > 3 ? Double(args[3]) ?? .nan : 0.6
let seed = args.count > 4 ? UInt64(args[4]) : 20_261_202
guard (8...10_000_000).contains(n), rho.isFinite, abs(rho) < 1, let seed else {
    FileHandle.standardError.write(Data("generate-data: need 8 ≤ n ≤ 10⁷, |ρ| < 1 and a seed ≥ 0\n".utf8)); exit(2)
}
var rng = Xoshiro256(seed: seed)
var text = "x,y\n"
for _ in 0..<n {
    let a = rng.normal(), b = rho * a + (1 - rho * rho).squareRoot() * rng.normal()
    text += String(format: "%.6f,%.6f\n", exp(a), b * b * b + b)
}
let url = URL(fileURLWithPath: args[1])
try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
try Data(text.utf8).write(to: url, options: .atomic)
print("wrote \(n) samples (ρ = \(rho), seed \(seed)) to \(url.path)")
