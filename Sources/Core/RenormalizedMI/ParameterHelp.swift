extension RenormalizedMICatalog {
    /// One line of meaning per parameter of the module's analyses, for `replicate describe` (`"*"`: every analysis).
    public static let parameterHelp: [String: [String: String]] = [
        "*": [
            "seed": "seed of every random stream (samples, initialisation, random halves); same seed, same bytes",
            "samples": "samples x drawn from the distribution for each Ĩ estimate",
            "bins": "histogram bins of the feature y = f(x) in the estimate of Ĩ (Appendix D)",
            "splits": "random halves for the error of Ĩ (sd over halves = standard error)",
        ],
        "rmi.gaussian": [
            "repeats": "independent sample sets; their spread checks the halves error",
            "window": "half-width (radians) of the quadratic fit around the best angle of the linear-feature scan",
            "cubic_bins": "bin counts at which Ĩ of the cubic reparametrisation is compared",
        ],
        "rmi.inequality": [
            "sizes": "sample sizes at which the gap of equality (7) is measured",
        ],
        "rmi.drops": [
            "spread": "spreads δ of the drops' deformation (axes R+δr and R²/(R+δr), δr uniform)",
            "particles": "particles per drop",
            "temperature": "temperature of the Metropolis thermalisation",
            "sweeps": "Metropolis sweeps per sample inside the ellipse",
        ],
        "rmi.wavepacket": [
            "noise": "noise levels σ of the wave packet (Fig. 2b's x axis)",
            "crossing_noise": "fine σ grid on which the crossing of the two best features is located (≥ 4 levels)",
            "origin": "site numbering of the packet: 1 (sites 1…100, ours) or 0 (0…99, the authors')",
            "splits": "random halves for the errors of Ĩ and of the feature differences",
        ],
        "rmi.wavepacket_authors": [
            "bins": "bins of the authors' plain histogram (their value: 180)",
            "splits": "random halves for the errors of Ĩ",
        ],
        "rmi.spiral": [
            "recipe": "ours, or authors (180 units, ReLU–ReLU–tanh, N(0,1) init, SGD 0.01·0.9^(t/50), 1000 steps)",
            "label": "suffix of this run's value names (rmi.spiral_<label>_…) and figure/table ids; default none (authors for recipe authors)",
            "grid": "grid points per axis of the training grid",
            "extent": "half-width of the training grid (x ∈ [−extent, extent]²)",
            "runs": "independent trainings from random initialisations",
            "steps": "gradient-ascent steps per run",
            "width": "hidden units per layer of the feature network",
            "learning_rate": "Adam learning rate (SGD's initial rate for recipe authors)",
            "range_gradient": "differentiate through the moving bin range of the histogram",
            "jitter": "jitter the training grid at every step",
            "heldout": "held-out samples on which the trained features are evaluated",
            "eval_bins": "bin counts of the held-out evaluation",
            "checkpoint_every": "steps between held-out checkpoints of the Ĩ-vs-steps curve",
            "plateau_window": "steps over which the held-out gain must stay within its error to stop (plateau rule)",
            "sigma1": "standard deviation σ₁ of the spiral's underlying Gaussian",
            "sigma2": "standard deviation σ₂ of the spiral's underlying Gaussian",
            "rho": "correlation ρ of the underlying Gaussian",
            "alpha": "twist α of the spiral: rotation by θ + α r",
        ],
        "rmi.features": [
            "data": "your samples (.npy or CSV): columns as given by layout, every value finite; without it, a generated example",
            "layout": "feature_gradient (columns y, dy/dx…) or samples (raw x; the feature is computed)",
            "dimension": "dimension of the feature y (1 or 2)",
            "rule": "histogram rule: linear (soft, the paper's) or hard",
            "name": "prefix of the value names of this run",
            "feature": "with layout samples: pca, linear (with weights) or mean",
            "weights": "with feature linear: one weight per column",
        ],
    ]
}
