import Foundation
import KinemaData

/// What a transformers folder's `preprocessor_config.json` (a `VideoMAEImageProcessor`) does to a
/// clip before the model sees it: resize the short side, centre-crop, rescale, normalise — the
/// steps of a one-crop test view (``TestViews``) and ``InputStatistics``.
///
/// Hub folders carry their own statistics (VideoMAE's models were trained with ImageNet's), while
/// the processor's defaults are 0.5 / 0.5: the file, not the class, is what the model expects.
struct HuggingFacePreprocessing: Equatable {
    var statistics: InputStatistics
    /// `size.shortest_edge` (nil when the processor resizes to a fixed height and width, or not at all).
    var shortSide: Int?
    /// `crop_size` when it is square and cropping is on.
    var cropSize: Int?

    static let fileName = "preprocessor_config.json"

    /// Parses the file's text; `source` names it in errors.
    init(json: Data, source: String) throws {
        let fields: Fields
        do {
            fields = try JSONDecoder().decode(Fields.self, from: json)
        } catch {
            throw TrainingRunError("\(source): not an image processor config (\(error))")
        }
        // The model sees (pixel · r − m) / s; Kinema computes (pixel / 255 − M) / S, so M = m / (255 r)
        // and S = s / (255 r).
        let scale = fields.doRescale ? fields.rescaleFactor * 255 : 1
        let mean = fields.doNormalize ? fields.mean : [0, 0, 0]
        let std = fields.doNormalize ? fields.std : [1, 1, 1]
        guard mean.count == 3, std.count == 3, std.allSatisfy({ $0 > 0 }), scale > 0 else {
            throw TrainingRunError(
                "\(source): image_mean \(mean) and image_std \(std) need three values each (std positive), "
                    + "rescale_factor \(fields.rescaleFactor) must be positive")
        }
        statistics = InputStatistics(mean: mean.map { Float($0 / scale) }, std: std.map { Float($0 / scale) })
        shortSide = fields.doResize ? fields.size.shortestEdge : nil
        cropSize = fields.doCenterCrop && fields.crop.height == fields.crop.width ? fields.crop.height : nil
    }

    /// The fields that change the pixels, with `VideoMAEImageProcessor`'s defaults.
    private struct Fields: Decodable {
        var mean: [Double] = [0.5, 0.5, 0.5], std: [Double] = [0.5, 0.5, 0.5]
        var doNormalize = true, doRescale = true, doResize = true, doCenterCrop = true
        var rescaleFactor = 1.0 / 255
        var size = Size(shortestEdge: 224), crop = Crop(height: 224, width: 224)

        struct Size: Decodable {
            var shortestEdge: Int?
            enum CodingKeys: String, CodingKey { case shortestEdge = "shortest_edge" }
        }
        struct Crop: Decodable {
            var height: Int?
            var width: Int?
        }

        enum Keys: String, CodingKey {
            case image_mean, image_std, do_normalize, do_rescale, do_resize, do_center_crop, rescale_factor, size, crop_size
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            /// A number (the same for every channel) or a list.
            func channels(_ key: Keys, _ fallback: [Double]) throws -> [Double] {
                if let single = try? c.decode(Double.self, forKey: key) { return [single, single, single] }
                return try c.decodeIfPresent([Double].self, forKey: key) ?? fallback
            }
            mean = try channels(.image_mean, mean)
            std = try channels(.image_std, std)
            doNormalize = try c.decodeIfPresent(Bool.self, forKey: .do_normalize) ?? doNormalize
            doRescale = try c.decodeIfPresent(Bool.self, forKey: .do_rescale) ?? doRescale
            doResize = try c.decodeIfPresent(Bool.self, forKey: .do_resize) ?? doResize
            doCenterCrop = try c.decodeIfPresent(Bool.self, forKey: .do_center_crop) ?? doCenterCrop
            rescaleFactor = try c.decodeIfPresent(Double.self, forKey: .rescale_factor) ?? rescaleFactor
            size = try c.decodeIfPresent(Size.self, forKey: .size) ?? size
            crop = try c.decodeIfPresent(Crop.self, forKey: .crop_size) ?? crop
        }
    }
}
