import Testing
@testable import TPTModel

/// Bit fields of a packed state: a write changes its own field and nothing
/// else, in whichever word the field sits, and keeps only the field's bits.
@Suite struct PackedStateTests {
    @Test(arguments: [0, 1, 2, 3])
    func aWriteChangesItsFieldOnly(word: Int) {
        let field = Field(word: word, shift: 13, mask: 0x3F)
        let neighbours = [Field(word: word, shift: 0, mask: 0x1FFF), Field(word: word, shift: 19, mask: (1 << 45) - 1)]
            + (0..<4).filter { $0 != word }.map { Field(word: $0, shift: 0, mask: .max) }
        var state = PackedState(words: SIMD4(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210, 0x0F0F_0F0F_0F0F_0F0F, 0xA5A5_A5A5_A5A5_A5A5))
        let before = neighbours.map { state[$0] }
        for value in [0, 1, 0x2A, 0x3F] {
            state[field] = value
            #expect(state[field] == value)
            #expect(neighbours.map { state[$0] } == before)
        }
        // Bits beyond the field's width are dropped, not spilled into neighbours.
        state[field] = 0x7FF
        #expect(state[field] == 0x3F)
        #expect(neighbours.map { state[$0] } == before)
    }
}
