import KinemaData
import KinemaTrain
import Testing

/// data.frameOrder and data.singleFrame: accepted, recorded in the run's config, handed to the clip
/// loader, and refused with a message that names the key and the choices.
@Suite struct ClipControlConfigTests {
    private let dataset = ["data.videos=/data/v", "data.splits=/data/s"]

    @Test func eachControlValidatesAndReachesTheLoader() throws {
        for (setting, control) in [
            ("data.frameOrder=natural", ClipControl.none),
            ("data.frameOrder=reversed", ClipControl(frameOrder: .reversed)),
            ("data.frameOrder=shuffled", ClipControl(frameOrder: .shuffled)),
            ("data.singleFrame=true", ClipControl(singleFrame: true)),
        ] {
            let config = try FineTuneConfig.resolve(overrides: dataset + [setting]).validated()
            #expect(try config.data.loader().control == control, "\(setting)")
            let key = String(setting.dropFirst("data.".count).prefix { $0 != "=" })
            let value = String(setting.drop { $0 != "=" }.dropFirst())
            #expect(try config.yaml().contains("\(key): \(value)"), "\(setting) is recorded in config.yaml")
        }
        #expect(try FineTuneConfig.resolve(overrides: dataset).validated().data.loader().control == .none)
    }

    @Test func badValuesGiveClearErrors() {
        for (settings, message) in [
            (["data.frameOrder=backwards"], "data.frameOrder: must be natural, reversed, shuffled, got 'backwards'"),
            (["data.singleFrame=true", "data.frameOrder=shuffled"], "data.singleFrame: repeats one frame, which has no order"),
            (["data.singleFrame=maybe"], "data.singleFrame"),
        ] {
            let error = #expect(throws: ConfigError.self) { try FineTuneConfig.resolve(overrides: dataset + settings).validated() }
            #expect(error?.problems.contains { $0.contains(message) } == true, "\(settings): \(error?.problems ?? [])")
        }
    }
}
