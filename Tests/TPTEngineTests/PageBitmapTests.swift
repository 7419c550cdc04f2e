import Testing
import TPTEngine

@Suite struct PageBitmapTests {
    /// Against Swift's Set, on random inserts and removes of clustered pages
    /// in far-apart groups, from an index that must grow many times.
    @Test func pageBitmapAgreesWithSet() {
        var pages = PageBitmap()
        var reference: Set<UInt64> = []
        var random = SplitMix64(seed: 8)
        for _ in 0..<200_000 {
            // Clusters of pages in far-apart groups.
            let page = (random.next() % 64) << 20 | random.next() % 2_000
            if random.next() % 3 == 0 {
                #expect(pages.remove(page) == (reference.remove(page) != nil))
            } else {
                #expect(pages.insert(page) == reference.insert(page).inserted)
            }
        }
        #expect(pages.count == reference.count)
        for page in reference where !pages.contains(page) { Issue.record("page \(page)") }
        #expect(!pages.contains(1 << 40))
    }
}
