extension DemoCatalog {
    /// One line of meaning per parameter of the demo analyses, for `replicate describe`.
    public static let parameterHelp: [String: [String: String]] = [
        "*": ["seed": "seed of the sampling; same seed, same bytes"],
        "demo.gaussian_mi": ["rho": "correlation ρ of the bivariate normal; I = −½ log₂(1 − ρ²) bits",
                             "samples": "sample sizes of the estimate (one point each)",
                             "repeats": "independent samples per size (their spread is the sd)"],
        "demo.correlation_map": ["dimension": "number of variables d of the AR(1) vector",
                                 "rho": "lag-one correlation ρ; corr(x_i, x_j) = ρ^|i−j|",
                                 "samples": "samples of the vector",
                                 "batches": "batches whose spread gives the error of the total correlation"],
        "demo.data_mean": ["data": "CSV or .npy table of numbers: a path (relative to the report) or a manifest id",
                           "column": "0-based column whose mean ± standard error is reported"],
        "demo.items": ["rho": "correlation ρ of the bivariate normal; I = −½ log₂(1 − ρ²) bits",
                       "samples": "samples per work item (each item estimates I from its own child stream)",
                       "items": "number of work items N (cached one by one; mean ± standard error over them)"],
    ]
}
