extension CollectiveRedundancyCatalog {
    /// One line of meaning per parameter of the module's analyses, for `replicate describe` (`"*"`: every analysis).
    public static let parameterHelp: [String: [String: String]] = [
        "*": [
            "seed": "seed of the simulation and of the search's random starts (same seed, same bytes)",
            "noise": "angular noise intensity η of the Romanczuk social-force model (higher: less polarised)",
            "duration": "simulated time per run (model time units)",
            "sample_interval": "time between recorded samples; with duration it sets the number of samples",
            "mu_alignment": "alignment strength μ_alg of the social force",
            "range_alignment": "alignment range r_alg (body lengths)",
            "mu_attraction": "attraction strength μ_att of the social force",
            "elements": "variables per animal: velocity (2 per animal) or position+velocity (4)",
            "initialisations": "random starts of the redundancy-compression search; the best score over them is kept",
            "max_components": "largest number of components m searched",
            "components": "number of components m of the partition",
            "samples": "Monte Carlo samples per Δd estimate (used where Δd is not computed exactly)",
            "exact_up_to": "largest group for which Δd is computed exactly rather than by Monte Carlo",
            "max_fish": "largest fish group analysed (groups above it are subsampled to this many fish)",
            "tag": "label of this run's system (single, paired or three groups); names its figures and values",
            "data": "trajectory file (.npy, frames × animals × 2, NaN for gaps): a path or a manifest id",
            "replicates": "independent simulation runs per system: the figure's own plus the further runs whose spread gives each one-run value its error (at least 5)",
            "social_forces": "averaged (alignment and attraction over the n − 1 others) or summed (over the others, strengths ÷ (force_reference − 1))",
            "force_reference": "group size at which summed social forces equal the averaged ones (with social_forces: summed)",
            "normalisation": "copula (Gaussian-copula entropies) or authors (raw-data Gaussian entropies plus the system-wide offset of crtwomey/sscs)",
        ],
        "collective.replicates": [
            "replicates": "independent replicate runs per multi-group system (errors over runs, and the concatenated data)",
            "tau_duration": "0 (off) or the length in time units of one further run per system whose τ_int has a closed Sokal window (cost ∝ its length: 60000 took 47 s of CPU for the four systems, about as much again as 20 replicates of 2000 with their searches)",
        ],
        "collective.cohesion": [
            "noises": "noise intensities η of the scan",
            "replicates": "independent runs per noise level and force rule",
            "force_reference": "group size at which the summed social forces equal the averaged ones",
        ],
        "collective.fig2": [
            "betas": "inverse temperatures β of the soft-assignment sweep (right panel)",
            "beta_components": "number of components m in the β sweep",
        ],
        "collective.fig4": [
            "snapshots": "search iterations at which the assignment matrix is drawn",
        ],
        "collective.compress": [
            "data": "table of samples × (elements · element_dimension) numbers (.npy 1-D/2-D or CSV; element i in columns i·d ..< (i+1)·d): a path or a manifest id; without it, a generated example with known redundancy",
            "element_dimension": "columns per element d (with data:); 1 for scalar elements",
            "length": "samples of the generated example (without data:)",
            "name": "names this run's values: collective.compress_<name>_… (lower-case letters, digits, _)",
            "max_components": "largest number of components m searched (default min(6, elements), at most the elements)",
        ],
        "collective.fish_null": [
            "max_gap": "longest gap (frames) filled by linear interpolation; longer gaps stay missing",
            "null_draws": "random-lag time shifts of each fish's series for the null distribution of r",
            "window": "sliding-window length (frames) for the per-window redundancy",
            "window_step": "step between sliding windows (frames)",
        ],
        "collective.model": [
            "noises": "the two noise intensities η compared (high, low)",
            "sizes": "group sizes n whose polarisation and cohesion are tabulated",
        ],
        "collective.search": [
            "exact_components": "numbers of components m at which exact and Monte Carlo Δd are run from the same starts",
        ],
    ]
}
