import Testing
import TPTEngine

@Suite struct EngineConfigurationTests {
    @Test func aFileOverridesTheDefaults() throws {
        let configuration = try EngineConfiguration(file: "c.conf", text: """
            # Sapphire Rapids with a slower memory
            line_miss_cycles = 300
              exit_cycles = 2_000   # with a heavier handler

            levels = 5
            """)
        var expected = EngineConfiguration()
        expected.lineMissCycles = 300
        expected.exitCycles = 2000
        expected.levels = 5
        #expect(configuration == expected)
    }

    @Test func mistakesAreNamedAtTheirLineAndColumn() {
        func error(_ text: String) -> String? {
            do {
                _ = try EngineConfiguration(file: "c.conf", text: text)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(error("levels 4") == "c.conf:1:1: expected 'name = value'")
        #expect(error("\n  speed = 3")?.hasPrefix("c.conf:2:3: unknown setting 'speed' (one of: page_shift,") == true)
        #expect(error("exit_cycles = lots") == "c.conf:1:15: expected a whole number of 0 or more, found 'lots'")
        #expect(error("page_shift = 13") == "c.conf:1:14: page_shift is 12 (4 KiB pages) or 21 (2 MiB)")
        #expect(error("l1_ways = 4\nl1_entries = 48") == "c.conf:2:1: l1_entries (48) over l1_ways (4) must be a power of two number of sets")
        #expect(error("levels = 4\nlevels = 5") == "c.conf:2:1: 'levels' is set twice (first on line 1)")
        // Values the cost arithmetic or an allocation cannot hold (they trapped once).
        #expect(error("exit_cycles = 9223372036854775807")
            == "c.conf:1:15: 'exit_cycles' is at most 1000000 (a cost per event, summed over every event), not 9223372036854775807")
        #expect(error("l1_entries = 1000000000000000")?.hasPrefix("c.conf:1:14: 'l1_entries' is at most 16777216") == true)
        #expect(error("work_cycles_per_event = 1000001")?.hasPrefix("c.conf:1:25: 'work_cycles_per_event' is at most 1000000") == true)
        #expect(error("\r\nspeed = 3\r\n")?.hasPrefix("c.conf:2:1: unknown setting 'speed'") == true)
    }

    @Test func everyLineEndingAndAByteOrderMarkAreRead() throws {
        var expected = EngineConfiguration()
        expected.exitCycles = 2000
        expected.levels = 5
        for text in ["# costs\r\nexit_cycles = 2000\r\nlevels = 5\r\n", "# costs\rexit_cycles = 2000\rlevels = 5",
                     "\u{FEFF}exit_cycles = 2000\nlevels = 5\n"] {
            #expect(try EngineConfiguration(file: "c.conf", text: text) == expected, "\(text.debugDescription)")
        }
    }
}
