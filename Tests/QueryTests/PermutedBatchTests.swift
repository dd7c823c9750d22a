import Testing
import Storage
import Repl

/// Kernels read a batch in place when its rows are a stretch of the table. A sort's selection
/// can start and end where a stretch would, with other rows between: sorted by k, this ledger's
/// rows come as 0, 2, 1, 3, 4, 5, 6, 7. Every answer below was wrong before the whole batch was
/// checked (first and last only): values, codes and validity read for rows 1 and 2 swapped.
@Suite("A sorted batch that starts and ends like a stretch of the table")
struct PermutedBatchTests {
    static let ledger = """
        id,k,v,name,x,c
        0,0,0,n0,1,b
        1,2,10,n1,1,a
        2,1,20,n2,1,b
        3,3,30,n3,,b
        4,4,40,n4,1,b
        5,5,50,n5,1,b
        6,6,60,n6,1,b
        7,7,70,n7,1,b

        """

    @Test("sums by a hashed key, `if` on a category and `is not null` read the rows the sort gave, on both paths",
          arguments: [false, true])
    func sortedRows(general: Bool) {
        let folder = makeFolder(["t.csv": Self.ledger])
        defer { removeFolder(folder) }
        let session = Session(catalog: try! Dataset.open(path: folder), generalPaths: general)
        session.format = .csv
        let cases = [
            // Values in place, groups by the rows: n1 got row 2's 20.
            ("t sort k | sum v by name | where name = n1 or name = n2", "name,sum_v\nn1,10\nn2,20\n"),
            // The condition's codes in place: row 2 took row 1's `a`.
            ("t sort k | count if c = a as n by name | where n > 0", "name,n\nn1,1\n"),
            // The validity a word at a time: the rows came back in table order, 1 before 2.
            ("t sort k | where x is not null | select id", "id\n0\n2\n1\n4\n5\n6\n7\n"),
        ]
        for (query, expected) in cases {
            guard case .output(let text, _) = session.query(query) else {
                Issue.record("\(query) failed")
                continue
            }
            #expect(text == expected, "\(query)")
        }
    }
}
