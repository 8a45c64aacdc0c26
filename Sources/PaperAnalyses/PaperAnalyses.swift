import AnalysisKit
import DemoAnalyses
import Retina
import InfoGeometry
import RenormalizedMI
import RINE
import CollectiveRedundancy

/// Every analysis of the notebook (the demo analyses and the five paper modules), each with its module's code identity.
/// A user's package adds its own: `ReplicateCLI.main(registry: AnalysisRegistry(paperAnalyses + myAnalyses))`.
public let paperAnalyses: [AnalysisDescriptor] =
    DemoCatalog.analyses.identified(by: DemoAnalysesSourceIdentity.hash).documented(by: DemoCatalog.parameterHelp)
        + RetinaCatalog.analyses.identified(by: RetinaSourceIdentity.hash).documented(by: RetinaCatalog.parameterHelp)
        + InfoGeometryCatalog.analyses.identified(by: InfoGeometrySourceIdentity.hash)
            .documented(by: InfoGeometryCatalog.parameterHelp)
        + RenormalizedMICatalog.analyses.identified(by: RenormalizedMISourceIdentity.hash)
            .documented(by: RenormalizedMICatalog.parameterHelp)
        + RINECatalog.analyses.identified(by: RINESourceIdentity.hash).documented(by: RINECatalog.parameterHelp)
        + CollectiveRedundancyCatalog.analyses.identified(by: CollectiveRedundancySourceIdentity.hash)
            .documented(by: CollectiveRedundancyCatalog.parameterHelp)

/// Per module of `paperAnalyses`, the hash of each target behind its code identity (the module's own sources and each
/// target it depends on), for `--explain`: `ReplicateCLI.main(registry:codeComponents:)`.
public let paperCodeComponents: [String: [String: String]] = [
    "DemoAnalyses": DemoAnalysesSourceIdentity.components,
    "Retina": RetinaSourceIdentity.components,
    "InfoGeometry": InfoGeometrySourceIdentity.components,
    "RenormalizedMI": RenormalizedMISourceIdentity.components,
    "RINE": RINESourceIdentity.components,
    "CollectiveRedundancy": CollectiveRedundancySourceIdentity.components,
]
