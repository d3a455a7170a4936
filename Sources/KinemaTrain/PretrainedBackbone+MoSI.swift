import Foundation
import KinemaPretext

extension PretrainedBackbone {
    /// The head's still class, (0, 0), when the run is a MoSI pretraining run (its config has the
    /// generator's `speedsPerDirection` and `motions`, and the head their label pool's size); nil
    /// for any other run. Grad-CAM explains a motion by skipping it: the still class's evidence is
    /// wherever nothing moves.
    public var mosiStillClass: Int? {
        guard let config = (try? JSONSerialization.jsonObject(with: Data(configJSON.utf8))) as? [String: Any],
            let generator = config["generator"] as? [String: Any],
            let speeds = generator["speedsPerDirection"] as? Int,
            let motions = (generator["motions"] as? String).flatMap(MoSILabelPool.Motions.init(rawValue:)),
            let pool = try? MoSILabelPool(speedsPerDirection: speeds, motions: motions), pool.count == classes
        else { return nil }
        return pool.speeds.firstIndex(of: .still)
    }
}
