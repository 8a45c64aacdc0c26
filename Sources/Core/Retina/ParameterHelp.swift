extension RetinaCatalog {
    /// One line of meaning per parameter of the module's analyses, for `replicate describe` (`"*"`: every analysis).
    public static let parameterHelp: [String: [String: String]] = [
        "*": [
            "data": "spike raster (repeats × neurons × bins, 0/1): a MAT v5 file with variable bint or a .npy array; a path or a manifest id",
            "seed": "seed of the random half-splits, bootstraps and restarts; same seed, same bytes",
            "neuron": "target cell σ0 (0-based); −1: the paper's example cell",
            "restarts": "random restarts of the iterative hard bottleneck (Eqs 4–7); the best is kept",
        ],
        "retina.bottleneck": [
            "partners": "K: number of σ0's best partners (ranked by pairwise I(σ0;σj)) whose 2^K states are compressed",
            "states": "ascending list of the numbers of compressed states M (each 1–255)",
            "splits": "random halves of the repeats for the errors of I(σ0;{σj}) and FI (each half refitted)",
            "orders": "series orders (1…K+1; order o: interactions of σ0 with up to o − 1 partners) whose coding cost C (Eq 9) is tabulated",
            "cost_splits": "random train/test splits of the repeats for the held-out coding cost (s.d. over splits)",
            "train_fraction": "fraction of the repeats used to fit the series truncations",
            "ridge": "ridge penalty of the series-truncation fits",
        ],
        "retina.fig1": [
            "splits": "random halves of the repeats for the error of h_eff (sd over halves = standard error)",
        ],
        "retina.fig2": [
            "splits": "random train/test splits of the repeats for the coding-cost errors (s.d. over splits)",
            "train_fraction": "fraction of the repeats used to fit the series truncations",
            "fi_splits": "random halves for the error of the fraction of information",
            "ridge": "ridge penalty of the series-truncation fits",
            "m_max": "largest number of compressed states M",
            "density_m": "M values whose coding-cost densities are drawn",
            "cells": "number of cells analysed (−1: all)",
        ],
        "retina.coarse": [
            "steps": "coarse-graining steps (8, 16, 32, 64 partners for steps 1–4)",
            "m_grid": "numbers of compressed states M tried at each step",
            "splits": "random halves for the errors of D_FI(M)",
            "bootstrap": "bootstrap resamples over target cells σ0 for the error of M*",
            "criterion": "fraction of the available information an M must keep to count (M* is the smallest such M)",
            "method": "optimiser: ib (iterative bottleneck, the paper's) or exact (interval dynamic programme)",
            "prefix": "prefix of this run's value and figure names (to run several variants in one report)",
            "compare_exact": "also run the exact interval optimum on the iterative chain's own inputs",
            "bias_variants": "also compute M* with plug-in, Miller–Madow and extrapolated information",
            "restart_study": "restart counts whose iterative shortfall at restart_m is tabulated (empty: none)",
            "restart_m": "M at which the restart study measures the iterative shortfall",
            "resamples": "runs of the whole chain on bootstrap resamples of the repeats (the paper's grey curves; 0: none)",
            "info_groups": "largest group index l for I(σ0;S_l) beyond the first eight (0: skip)",
            "info_splits": "random halves for the errors of I(σ0;S_l)",
            "calibration_replicates": "experiments of the parametric bootstrap that checks the error of M* on each measured step (0: none)",
            "calibration_bootstrap": "bootstrap resamples over σ0 inside each calibration experiment",
            "decomposition": "also estimate the terms of Eqs (13)–(15) for the first group chain's σ̃ at M*, and at step 1 for the raw eight partners {σj} (2⁸ states) before compression",
            "word_max": "longest word (bins) of the Strong et al. word-based I(σ0;s) (0: off, else 3–8)",
        ],
        "retina.mstar_calibration": [
            "replicates": "synthetic experiments per scenario (coverage of the known M*)",
            "bootstrap": "bootstrap resamples over cells in each experiment",
            "cells": "cells drawn from the population in each experiment",
            "population_cells": "cells of each synthetic population",
        ],
    ]
}
