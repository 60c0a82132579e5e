import Policies

/// Scrubber settings for the fail-closed test.
enum ScrubberConfigurationForTests {
    /// A scrubber that refuses anything over 16 bytes.
    static let tiny = ScrubberConfiguration(maxInputBytes: 16)
}
