import JSON
import Testing

@Suite("JSONValue and JSONObject")
struct JSONValueTests {
    @Test("keeps object members in insertion order and replaces a key in place")
    func insertionOrder() {
        var object: JSONObject = ["b": 1, "a": 2]
        object["c"] = 3
        object["b"] = 4
        #expect(object.keys == ["b", "a", "c"])
        #expect(object["b"] == 4)
        object["a"] = nil
        #expect(object.keys == ["b", "c"])
        #expect(!object.contains(key: "a"))
        #expect(JSONObject([("x", 1), ("y", 2), ("x", 3)]).keys == ["x", "y"])
    }

    @Test("compares and hashes objects without regard to member order")
    func unorderedEquality() {
        let one: JSONValue = ["a": 1, "b": [true, nil]]
        let two: JSONValue = ["b": [true, nil], "a": 1]
        #expect(one == two)
        #expect(one.hashValue == two.hashValue)
        #expect(Set([one, two]).count == 1)
        #expect(one != ["a": 1, "b": [nil, true]])
        #expect(one != ["a": 1])
        var big1 = JSONObject()
        var big2 = JSONObject()
        for index in 0..<40 {
            big1["k\(index)"] = .integer(Int64(index))
            big2["k\(39 - index)"] = .integer(Int64(39 - index))
        }
        #expect(big1 == big2)
        big2["k0"] = "changed"
        #expect(big1 != big2)
    }

    @Test("tells integers from doubles but converts between them on request")
    func numberKinds() {
        #expect(JSONValue.integer(1) != .double(1))
        #expect(JSONValue.double(2).intValue == 2)
        #expect(JSONValue.double(2.5).intValue == nil)
        #expect(JSONValue.integer(3).doubleValue == 3)
        #expect(JSONValue.string("3").intValue == nil)
    }

    @Test("reads nested values through subscripts and accessors")
    func accessors() throws {
        let value = try JSONValue(parsing: #"{"a":[{"b":"c"}],"n":null}"#)
        #expect(value["a"]?[0]?["b"]?.stringValue == "c")
        #expect(value["a"]?[1] == nil)
        #expect(value["zzz"] == nil)
        #expect(value["n"]?.isNull == true)
        #expect(value[0] == nil)
        #expect(value["a"]?.arrayValue?.count == 1)
        #expect(value.objectValue?.count == 2)
        #expect(value.description == #"{"a":[{"b":"c"}],"n":null}"#)
    }
}
