extension RINECatalog {
    /// One line of meaning per parameter of the module's analyses, for `replicate describe` (`"*"`: every analysis).
    public static let parameterHelp: [String: [String: String]] = [
        "*": [
            "seed": "seed of data sampling, initialisation and minibatches; same seed, same bytes",
            "seeds": "independent trainings (seeds); values are their mean with a t-corrected error",
            "samples": "samples drawn from the task's distribution for training and testing",
            "epochs": "training epochs",
            "batch": "minibatch size",
            "learning_rate": "SGD learning rate (multiplied by 0.97 after every epoch)",
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
            "learning_rates": "Adam learning rates trained (the first gives the main values; the authors' figure used 0.01, the paper's text 0.005)",
            "train_fraction": "fraction of the samples used for training (the authors' 0.7)",
            "batch_norm": "batch normalisation after each hidden layer (the authors' TOYFCnet has it)",
            "common_classes": "numbers of classes n of the task for the shared-input cosine curve (paper's text 4, authors' similarity.py 0)",
            "common_inputs": "numbers of shared constant inputs (−2) appended to both sources for the cosine curve",
            "cosine_samples": "samples over which the mean cosine similarity is taken",
        ],
        "rine.reach": [
            "learning_rate": "Adam learning rate (multiplied by lr_decay after every epoch)",
            "groups": "sub-populations of neurons; redundancy is computed for every pair",
            "grouping": "direction (neurons sorted by preferred direction on the non-test trials, equal groups) or index (file order)",
            "validation_fraction": "fraction of the non-test trials held out for early stopping",
            "patience": "epochs without improvement of the validation objective before training stops",
            "surrogate": "also compute the pseudo-session surrogate (trials paired by target across two halves)",
        ],
        "rine.premotor": [
            "learning_rate": "Adam learning rate (multiplied by lr_decay after every epoch)",
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
            "fixed_beta": "also train the crops with the largest β fixed from the first epoch (Fig. A2)",
        ],
    ]
}
