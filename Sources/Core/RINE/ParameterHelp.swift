extension RINECatalog {
    /// One line of meaning per parameter of the module's analyses, for `replicate describe` (`"*"`: every analysis).
    public static let parameterHelp: [String: [String: String]] = [
        "*": [
            "seed": "seed of data sampling, initialisation and minibatches; same seed, same bytes",
            "seeds": "independent trainings (seeds); values are their mean with a t-corrected error",
            "samples": "samples drawn from the task's distribution for training and testing",
            "epochs": "training epochs",
            "batch": "minibatch size",
            "learning_rate": "SGD learning rate",
            "lr_decay": "learning-rate factor per epoch",
            "weight_decay": "L2 weight decay",
            "momentum": "SGD momentum",
            "hidden": "hidden-layer widths of each source's encoder",
            "beta": "weight β of the disagreement term D in the RINE objective",
            "betas": "values of β trained (one column each)",
            "gamma": "growth factor γ of the increasing β schedule (β_t = β (1 − γ^t))",
            "splits": "random train/test splits (their spread is the error)",
            "data": "reach data: a MAT v5 file with R (neurons × trials) and direction (1…8), a path or a manifest id",
        ],
        "rine.ablation": [
            "beta": "the fixed β compared with the increasing schedule",
        ],
        "rine.synthetic": [
            "classes": "numbers of classes n of the synthetic task",
            "noise_inputs": "numbers of pure-noise inputs appended to each source",
        ],
        "rine.reach": [
            "groups": "sub-populations of neurons; redundancy is computed for every pair",
        ],
        "rine.premotor": [
            "windows": "time windows of the simulated premotor population",
            "neurons": "simulated neurons",
            "trials_per_target": "simulated trials per reach target",
        ],
        "rine.fashion": [
            "widths": "crop widths w in pixels of the left and right crops (up to 28)",
            "train": "Fashion-MNIST training images used",
            "test": "Fashion-MNIST test images used",
            "blur_sigma": "Gaussian blur σ (pixels) of the low-pass image",
            "fft_cutoff": "FFT box half-width (in frequency index) separating low from high frequencies",
            "learning_rate": "Adam learning rate",
        ],
    ]
}
