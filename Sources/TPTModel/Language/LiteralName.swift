/// The index a literal's name gives after its prefix: `2` for `f2`, `0` for
/// `vm0`. Decimal digits only, with no sign and no leading zero, so that
/// every frame, VM, page or vCPU has exactly one name and none is negative
/// (`f-1`, `g+1`, `f01` name nothing). Models and proofs read literals
/// through this one definition.
func literalIndex(_ digits: Substring) -> Int? {
    guard !digits.isEmpty, digits.count <= 9, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
          digits == "0" || digits.first != "0" else { return nil }
    return Int(digits)
}
