import LogModel
import LogScanner
import Testing

/// Which program wrote a failure's line: the producer stored with each occurrence.
@Suite struct ProducerTests {
    static let stamp = #"time="2026-11-20T03:14:15.123456789Z" level=error"#

    @Test(
        "logrus lines: containerd's CRI requests and resolver messages are containerd's, the rest dockerd's",
        arguments: [
            (
                #"msg="PullImage \"contosoprod.azurecr.io/web:1.4.2\" failed" error="failed to pull and unpack image \"contosoprod.azurecr.io/web:1.4.2\": failed to resolve reference \"contosoprod.azurecr.io/web:1.4.2\": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized""#,
                Producer.containerd
            ),
            (
                #"msg="trying next host" error="failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized" host=contosoprod.azurecr.io"#,
                Producer.containerd
            ),
            (
                #"msg="Handler for POST /v1.43/images/create returned error: Get \"https://contosoprod.azurecr.io/v2/web/manifests/1.4.2\": unauthorized: authentication required""#,
                Producer.dockerd
            ),
            (
                #"msg="Not continuing with pull after error: unauthorized: authentication required" image="contosoprod.azurecr.io/web:1.4.2""#,
                Producer.dockerd
            ),
        ])
    func logrus(message: String, producer: Producer) throws {
        let found = Support.scan(lines: [Self.stamp + " " + message])
        let occurrence = try #require(found.first, "no occurrence in \(message)")
        #expect(occurrence.producer == producer)
    }

    @Test("a containerd line behind journald's or syslog's wrapper keeps the wrapper's producer")
    func wrapped() throws {
        let line =
            "Nov 20 03:14:15 node-1 containerd[812]: " + Self.stamp
            + #" msg="PullImage \"contosoprod.azurecr.io/web:1.4.2\" failed" error="unexpected status: 401 Unauthorized""#
        let occurrence = try #require(Support.scan(lines: [line]).first)
        #expect(occurrence.producer == .syslog)
    }
}
