import JSON
import PersonaTestSupport
import Testing

@testable import PersonaServer

@Suite("Chat completion request decoding")
struct ChatCompletionRequestTests {
    static func decode(_ json: String) -> Result<ChatCompletionRequest, APIError> {
        Result { () throws(APIError) in try ChatCompletionRequest.decode(Array(json.utf8)) }
    }

    @Test("the conversation rule: earlier user turns are replayed, the last one answered, others ignored")
    func conversation() throws {
        let request = try Self.decode(
            #"""
            {"model":"echo","messages":[{"role":"system","content":"be nice"},{"role":"user","content":"a"},
            {"role":"assistant","content":"x"},{"role":"user","content":[{"type":"text","text":"b"},{"type":"text","text":"c"}]}],
            "temperature":0.2,"user":"u1","tools":[]}
            """#
        ).get()
        #expect(request.model == "echo" && request.replay == ["a"] && request.message == "b\nc")
        #expect(!request.stream && !request.includeUsage && request.maxTokens == nil && request.stop.isEmpty)
    }

    @Test("stream options, max_completion_tokens over max_tokens, and stop as string or array")
    func options() throws {
        let request = try Self.decode(
            #"{"model":"m","messages":[{"role":"user","content":"q"}],"stream":true,"stream_options":{"include_usage":true},"max_tokens":9,"max_completion_tokens":5,"stop":["x","y"]}"#
        ).get()
        #expect(request.stream && request.includeUsage && request.maxTokens == 5 && request.stop == ["x", "y"])
        #expect(try Self.decode(#"{"model":"m","messages":[{"role":"user","content":"q"}],"stop":"z","max_tokens":2}"#).get().stop == ["z"])
    }

    @Test(
        "every refusal is a 400 naming the member at fault",
        arguments: [
            (#"[1]"#, nil as String?),
            (#"{"model":"m","#, nil),
            (#"{"messages":[{"role":"user","content":"q"}]}"#, "model"),
            (#"{"model":"m","messages":[]}"#, "messages"),
            (#"{"model":"m","messages":[{"role":"robot","content":"q"}]}"#, "messages[0].role"),
            (#"{"model":"m","messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}"#, "messages"),
            (#"{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]}"#, "messages[0].content"),
            (#"{"model":"m","messages":[{"role":"user","content":"q"}],"n":2}"#, "n"),
            (#"{"model":"m","messages":[{"role":"user","content":"q"}],"max_tokens":0}"#, "max_tokens"),
            (#"{"model":"m","messages":[{"role":"user","content":"q"}],"stream_options":{"include_usage":true}}"#, "stream_options"),
            (#"{"model":"m","messages":[{"role":"user","content":"q"}],"stop":["a","b","c","d","e"]}"#, "stop"),
            (#"{"model":"m","messages":[{"role":"user","content":"q"}],"stream":"yes"}"#, "stream"),
        ])
    func refusals(body: String, param: String?) {
        guard case .failure(let error) = Self.decode(body) else {
            Issue.record("accepted: \(body)")
            return
        }
        #expect(error.status == 400 && error.param == param, "\(body): \(error)")
    }

    @Test("n of 1 and four stop sequences are within the limits")
    func limitEdges() throws {
        #expect(
            try Self.decode(#"{"model":"m","messages":[{"role":"user","content":"q"}],"n":1,"stop":["a","b","c","d"]}"#)
                .get().stop.count == 4)
    }

    @Test("seeded fuzz: mutated bodies decode or are refused with 400, never crash")
    func fuzz() {
        let seeds: [String] = [
            #"{"model":"echo","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}"#,
            #"{"model":"echo","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],"stop":["a"],"max_tokens":3}"#,
        ]
        var generator = SeededGenerator(seed: 0xA91)
        var refused = 0
        for iteration in 0..<3_000 {
            var bytes = Array(seeds[iteration % seeds.count].utf8)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.remove(at: index)
                default: bytes.insert(Array(#"{}[]":,0"#.utf8).randomElement(using: &generator)!, at: index)
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            do {
                _ = try ChatCompletionRequest.decode(bytes)
            } catch {
                refused += 1
                #expect(error.status == 400, "seed \(generator.seed) iteration \(iteration)")
            }
        }
        #expect(refused > 1_000)
    }
}

@Suite("Stop sequences")
struct StopSequenceFilterTests {
    func run(_ deltas: [String], stops: [String]) -> (text: String, stopped: Bool) {
        var filter = StopSequenceFilter(stops: stops)
        var text = ""
        for delta in deltas {
            text += filter.feed(delta)
            if filter.isStopped { break }
        }
        text += filter.finish()
        return (text, filter.isStopped)
    }

    @Test("a stop sequence split at any point between deltas is caught and none of it is sent")
    func dripFeed() {
        let reply = "one two three four five"
        for pieces in DripFeed.splits(of: Array(reply.utf8)) {
            let deltas = pieces.map { String(decoding: $0, as: UTF8.self) }
            let result = run(deltas, stops: ["thr", "four"])
            #expect(result.text == "one two " && result.stopped, "\(deltas)")
        }
    }

    @Test("text that only starts like a stop sequence is released once it cannot be one")
    func partialsReleased() {
        #expect(run(["one t", "wo th", "ree"], stops: ["thx"]) == ("one two three", false))
        #expect(run(["abc"], stops: []) == ("abc", false))
    }

    @Test("the earliest of several stop sequences wins")
    func earliest() {
        #expect(run(["a b c d"], stops: ["d", "b"]).text == "a ")
    }
}
