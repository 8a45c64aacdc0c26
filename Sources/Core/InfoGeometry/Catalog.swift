import Foundation
import AnalysisKit

/// The report analyses this paper module registers with the renderer (report 001, multi-scale information geometry).
public enum InfoGeometryCatalog {
    public static let analyses: [AnalysisDescriptor] = [
        AnalysisDescriptor(name: "geometry.gaussian",
                           summary: "Linear-Gaussian population: closed-form multi-scale metric G, MI identity checked by quadrature over γ",
                           run: GaussianAnalysis.run),
        AnalysisDescriptor(name: "geometry.ring",
                           summary: "4 Poisson neurons on a ring: exact G(x) by spectral diffusion, MI by Monte Carlo, per-pattern de Bruijn identity",
                           run: RingAnalysis.run),
        AnalysisDescriptor(name: "geometry.denoiser",
                           summary: "Ring: G and MI from conditional/unconditional denoisers trained by denoising score matching, versus training-set size",
                           run: DenoiserAnalysis.run),
        AnalysisDescriptor(name: "geometry.patches",
                           summary: "Gabor neurons on Fashion-MNIST patches: eigenvectors of G vs Fisher information vs PCA",
                           datasets: [PatchAnalysis.imagesID],
                           run: PatchAnalysis.run),
        AnalysisDescriptor(name: "geometry.highdim",
                           summary: "64-D linear-Gaussian population on Fashion-MNIST patch statistics: G learned from denoisers vs the closed form (eigenvalues, eigenvectors, MI)",
                           datasets: [PatchAnalysis.imagesID],
                           run: HighDimAnalysis.run),
        AnalysisDescriptor(name: "geometry.lnp",
                           summary: "Nonlinear Poisson (LNP) Gabor bank on Fashion-MNIST patch statistics: G learned from denoisers (no closed form), its exact linear-denoiser limit, eigenvectors beside Fisher and PCA",
                           datasets: [PatchAnalysis.imagesID],
                           run: LNPAnalysis.run),
    ]
}
