import KinemaNN

/// The state-dict layouts VideoMAE-family checkpoints come in, and the one key mapping between
/// them (import and export both use it; docs/porting-from-pytorch.md lists it):
///
/// | layout | encoder keys | decoder keys |
/// |---|---|---|
/// | VideoMAE fine-tuning (`modeling_finetune.py`, MME's `finetune/`) — ``VisionTransformer``'s own | `patch_embed.proj.*`, `blocks.{i}.*`, `fc_norm.*`, `head.*` | — |
/// | VideoMAE pretraining (`modeling_pretrain.py`) | `encoder.patch_embed.proj.*`, `encoder.blocks.{i}.*`, `encoder.norm.*` | `encoder_to_decoder.weight`, `mask_token`, `decoder.blocks.{i}.*`, `decoder.norm.*`, `decoder.head.*` |
/// | MME pretraining (`pretrain/model.py`, `decoder_num` 1) | as VideoMAE's | `encoder_to_decoder.0.weight`, `mask_token`, `decoder.0.blocks.{i}.*`, `decoder.0.norm.*`, `decoder.0.head.{k}.{0,2}.*` (a two-layer head per target) |
/// | transformers (`VideoMAEModel`, `…ForPreTraining`, `…ForVideoClassification`) | `videomae.embeddings.patch_embeddings.projection.*`, `videomae.encoder.layer.{i}.*`, `videomae.layernorm.*`, `fc_norm.*`, `classifier.*` | `encoder_to_decoder.weight`, `mask_token`, `decoder.decoder_layers.{i}.*`, `decoder.norm.*`, `decoder.head.*` |
///
/// Inside a block transformers names `norm1`/`norm2` `layernorm_before`/`layernorm_after`, `mlp.fc1`/`fc2`
/// `intermediate.dense`/`output.dense`, `attn.proj` `attention.output.dense`, `attn.q_bias`/`v_bias`
/// `attention.attention.q_bias`/`v_bias` (transformers 4) or `….query.bias`/`….value.bias`
/// (transformers 5), and splits `attn.qkv.weight [3D, D]` into
/// `attention.attention.{query,key,value}.weight` (rows in that order). A bare `VideoMAEModel` has
/// no `videomae.` prefix. The pretraining encoder's final `norm` has no place in the fine-tuning form
/// (mean pooling uses `fc_norm` instead): ``videoMAEForm(_:)`` keeps it apart (``Converted/encoderNorm``)
/// for ``VideoMAEEncoder``.
public enum VideoMAEKeyMapping {
    /// Where a checkpoint came from.
    public enum Layout: String, Sendable {
        case videoMAEFineTuning = "VideoMAE fine-tuning"
        case videoMAEPretraining = "VideoMAE pretraining"
        case huggingFace = "transformers VideoMAE"
    }

    /// A checkpoint in VideoMAE's names, split by what uses it.
    public struct Converted {
        public var layout: Layout
        /// The encoder (and classifier, when there is one) in ``VisionTransformer``'s keys.
        public var encoder: [String: Tensor]
        /// `encoder_to_decoder.weight`, `mask_token` and `decoder.*` in VideoMAE's pretraining keys
        /// (empty for a fine-tuning or classification checkpoint).
        public var decoder: [String: Tensor]
        /// The pretraining encoder's final LayerNorm (`norm.weight`, `norm.bias`; empty for a
        /// fine-tuning checkpoint): ``VideoMAEEncoder`` has it, ``VisionTransformer`` not (mean
        /// pooling uses `fc_norm`; VideoMAE's fine-tuning drops it too).
        public var encoderNorm: [String: Tensor]
    }

    /// A VideoMAE name and its transformers twin.
    typealias Names = (videoMAE: String, huggingFace: String)

    /// Containers of blocks, VideoMAE's ↔ transformers'. On the VideoMAE side the fine-tuning and
    /// pretraining encoder names both map to transformers' one; the reverse gives the pretraining name.
    static let containers: [Names] = [
        ("encoder.blocks.", "videomae.encoder.layer."), ("blocks.", "videomae.encoder.layer."),
        ("decoder.blocks.", "decoder.decoder_layers."),
    ]
    /// Inside one block (the fused `attn.qkv.weight` apart).
    static let blockNames: [Names] = [
        ("norm1.", "layernorm_before."), ("norm2.", "layernorm_after."),
        // transformers 4 names the query and value biases `q_bias`/`v_bias`, transformers 5
        // `query.bias`/`value.bias` (and renames the old ones on loading): both are read, the
        // first is written, which both versions load.
        ("attn.q_bias", "attention.attention.q_bias"), ("attn.v_bias", "attention.attention.v_bias"),
        ("attn.q_bias", "attention.attention.query.bias"), ("attn.v_bias", "attention.attention.value.bias"),
        ("attn.proj.", "attention.output.dense."), ("mlp.fc1.", "intermediate.dense."), ("mlp.fc2.", "output.dense."),
    ]
    /// Outside the blocks.
    static let topLevelNames: [Names] = [
        ("encoder.patch_embed.proj.", "videomae.embeddings.patch_embeddings.projection."),
        ("patch_embed.proj.", "videomae.embeddings.patch_embeddings.projection."),
        ("encoder.norm.", "videomae.layernorm."), ("fc_norm.", "fc_norm."), ("head.", "classifier."),
        ("decoder.norm.", "decoder.norm."), ("decoder.head.", "decoder.head."),
        ("encoder_to_decoder.weight", "encoder_to_decoder.weight"), ("mask_token", "mask_token"),
    ]
    /// transformers' three projections, in the row order of the fused `qkv.weight`.
    static let splitQKV = ["query", "key", "value"]
    static let fusedQKV = "attn.qkv.weight"

    /// The layout `keys` are in, or nil when they are in none of them.
    public static func layout(of keys: some Sequence<String>) -> Layout? {
        let keys = Array(keys)
        if keys.contains(where: { $0.hasPrefix("videomae.") || $0.hasPrefix("embeddings.patch_embeddings.") }) {
            return .huggingFace
        }
        if keys.contains(where: { $0.hasPrefix("encoder.patch_embed.") || $0.hasPrefix("encoder.blocks.") }) {
            return .videoMAEPretraining
        }
        if keys.contains(where: { $0.hasPrefix("patch_embed.") || $0.hasPrefix("blocks.") }) { return .videoMAEFineTuning }
        return nil
    }

    /// `stateDict` (any layout above; a `module.` or `model.` wrapper prefix removed first) in
    /// VideoMAE's names. Throws, listing them, when keys fit no name of the detected layout.
    public static func videoMAEForm(_ stateDict: [String: Tensor]) throws(ModuleError) -> Converted {
        let stateDict = unwrapped(stateDict)
        guard let layout = layout(of: stateDict.keys) else {
            let sample = stateDict.keys.sorted().prefix(5).joined(separator: ", ")
            throw ModuleError(
                .invalidConfiguration, path: "",
                "not a VideoMAE, MME or transformers VideoMAE checkpoint: no patch embedding or transformer block among "
                    + "its \(stateDict.count) keys (first: \(sample))")
        }
        var unknown: [String] = []
        let names = layout == .huggingFace ? try fromHuggingFace(stateDict, unknown: &unknown) : stateDict
        var converted = Converted(layout: layout, encoder: [:], decoder: [:], encoderNorm: [:])
        for (key, tensor) in names {
            if key.hasPrefix("decoder.") || key.hasPrefix("encoder_to_decoder.") || key == "mask_token" {
                converted.decoder[key] = tensor
            } else if key.hasPrefix("encoder.norm.") {
                converted.encoderNorm[String(key.dropFirst("encoder.".count))] = tensor
            } else if ["patch_embed.proj.", "blocks.", "fc_norm.", "head."].contains(where: key.hasPrefix) {
                converted.encoder[key] = tensor
            } else if key.hasPrefix("encoder.patch_embed.proj.") || key.hasPrefix("encoder.blocks.") {
                converted.encoder[String(key.dropFirst("encoder.".count))] = tensor
            } else {
                unknown.append(key)
            }
        }
        guard unknown.isEmpty else {
            throw ModuleError(
                .invalidConfiguration, path: "",
                "\(layout.rawValue) checkpoint: \(unknown.count) key(s) fit no VideoMAE name: "
                    + unknown.sorted().joined(separator: ", "))
        }
        return converted
    }

    /// VideoMAE's names (fine-tuning or pretraining keys, or ``Converted``'s encoder and decoder
    /// together) → transformers' (`VideoMAEForVideoClassification` / `VideoMAEForPreTraining`);
    /// throws, listing them, for keys that are not VideoMAE names.
    ///
    /// The query and value biases get transformers 4's names (`q_bias`, `v_bias`), which both
    /// versions' `from_pretrained` load; with `transformers5Names` transformers 5's (`query.bias`,
    /// `value.bias`), which its `load_state_dict(strict=True)` needs (`kinema export --layout hf`).
    public static func huggingFaceForm(
        _ stateDict: [String: Tensor], transformers5Names: Bool = false
    ) throws(ModuleError) -> [String: Tensor] {
        let blockNames = transformers5Names ? Self.blockNames.filter { !$0.huggingFace.hasSuffix("_bias") } : Self.blockNames
        var result: [String: Tensor] = [:]
        var unknown: [String] = []
        for (key, tensor) in stateDict {
            if let (container, index, inner) = split(key, containers, \.videoMAE) {
                let block = "\(container.huggingFace)\(index)."
                if inner == fusedQKV {
                    for (name, part) in zip(splitQKV, tensor.chunked(3, dim: 0)) {
                        result["\(block)attention.attention.\(name).weight"] = part
                    }
                } else if let renamed = renamed(inner, blockNames, from: \.videoMAE, to: \.huggingFace) {
                    result[block + renamed] = tensor
                } else {
                    unknown.append(key)
                }
            } else if let renamed = renamed(key, topLevelNames, from: \.videoMAE, to: \.huggingFace) {
                result[renamed] = tensor
            } else {
                unknown.append(key)
            }
        }
        guard unknown.isEmpty else {
            throw ModuleError(
                .invalidConfiguration, path: "",
                "\(unknown.count) key(s) have no transformers VideoMAE name (it has no layer scale, gamma_1/gamma_2, "
                    + "nor keys outside VideoMAE's): " + unknown.sorted().joined(separator: ", "))
        }
        return result
    }

    /// transformers' names → VideoMAE's pretraining names; keys that fit none go to `unknown`.
    static func fromHuggingFace(_ stateDict: [String: Tensor], unknown: inout [String]) throws(ModuleError)
        -> [String: Tensor]
    {
        var result: [String: Tensor] = [:]
        var projections: [String: [String: Tensor]] = [:]  // block prefix → query/key/value weights
        for (original, tensor) in stateDict {
            // A bare VideoMAEModel saves its keys without the `videomae.` prefix.
            let key = ["embeddings.", "encoder.layer.", "layernorm."].contains(where: original.hasPrefix)
                ? "videomae." + original : original
            if let (container, index, inner) = split(key, containers, \.huggingFace) {
                let block = "\(container.videoMAE)\(index)."
                if let name = splitQKV.first(where: { inner == "attention.attention.\($0).weight" }) {
                    projections[block, default: [:]][name] = tensor
                } else if let renamed = renamed(inner, blockNames, from: \.huggingFace, to: \.videoMAE) {
                    result[block + renamed] = tensor
                } else {
                    unknown.append(original)
                }
            } else if let renamed = renamed(key, topLevelNames, from: \.huggingFace, to: \.videoMAE) {
                result[renamed] = tensor
            } else {
                unknown.append(original)
            }
        }
        for (block, qkv) in projections {
            let pieces = splitQKV.compactMap { qkv[$0] }
            guard pieces.count == 3, pieces.allSatisfy({ $0.shape == pieces[0].shape }) else {
                throw ModuleError(
                    .invalidConfiguration, path: block,
                    "transformers VideoMAE checkpoint: block \(block) needs query, key and value weights of one shape, got "
                        + splitQKV.map { "\($0) \(qkv[$0].map { "\($0.shape)" } ?? "missing")" }.joined(separator: ", "))
            }
            result[block + fusedQKV] = Tensor.cat(pieces, dim: 0)
        }
        return result
    }

    /// The container `key` lies in (on `side`), the block index and the name inside the block.
    private static func split(_ key: String, _ containers: [Names], _ side: KeyPath<Names, String>)
        -> (container: Names, index: Int, inner: String)?
    {
        for container in containers where key.hasPrefix(container[keyPath: side]) {
            let rest = key.dropFirst(container[keyPath: side].count)
            if let dot = rest.firstIndex(of: "."), let index = Int(rest[..<dot]) {
                return (container, index, String(rest[rest.index(after: dot)...]))
            }
        }
        return nil
    }

    /// `name` renamed by the first entry of `table` whose `from` side prefixes it; nil when none does.
    private static func renamed(
        _ name: String, _ table: [Names], from: KeyPath<Names, String>, to: KeyPath<Names, String>
    ) -> String? {
        table.first { name.hasPrefix($0[keyPath: from]) }.map { $0[keyPath: to] + name.dropFirst($0[keyPath: from].count) }
    }

    /// The prefixes a wrapper puts before every key: DistributedDataParallel's `module.`, a
    /// wrapping model's `model.` (``WeightLayout`` reads every family's checkpoints through these).
    static let wrappers = ["module.", "model."]

    /// Without a `module.` (DistributedDataParallel) or `model.` wrapper prefix on every key.
    static func unwrapped(_ stateDict: [String: Tensor]) -> [String: Tensor] {
        for wrapper in wrappers where !stateDict.isEmpty && stateDict.keys.allSatisfy({ $0.hasPrefix(wrapper) }) {
            return Dictionary(uniqueKeysWithValues: stateDict.map { (String($0.key.dropFirst(wrapper.count)), $0.value) })
        }
        return stateDict
    }

    /// `key` without a wrapper prefix, for telling a layout from keys alone.
    static func withoutWrapper(_ key: String) -> String {
        wrappers.first(where: key.hasPrefix).map { String(key.dropFirst($0.count)) } ?? key
    }
}
