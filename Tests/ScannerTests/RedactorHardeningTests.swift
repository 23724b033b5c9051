import LogModel
import LogScanner
import Testing

/// Secrets never reach an excerpt, and an excerpt is always short, clean UTF-8 (docs/hardening.md).
@Suite struct RedactorHardeningTests {
    static func excerpt(_ line: String) -> String {
        Array(line.utf8).withUnsafeBytes { Redactor.excerpt($0) }
    }

    static func excerpt(bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { Redactor.excerpt($0) }
    }

    @Test(
        "each secret form is redacted",
        arguments: [
            ("+ docker login myacr.azurecr.io -u ci -p Hunter2xx", "Hunter2xx"),
            ("-p 'Hunter2xx' myacr.azurecr.io", "Hunter2xx"),
            ("docker login --password \"two words\" myacr.azurecr.io", "two words"),
            ("echo Hunter2xx | docker login --password-stdin -u ci myacr.azurecr.io", "Hunter2xx"),
            ("printf '%s' Hunter2xx | docker login --password-stdin myacr.azurecr.io", "Hunter2xx"),
            ("docker login --password-stdin myacr.azurecr.io <<< Hunter2xx", "Hunter2xx"),
            ("az login --service-principal -u app -p Hunter2xx --tenant t", "Hunter2xx"),
            ("az login --service-principal --username app --client-secret=Hunter2xx", "Hunter2xx"),
            ("az login --federated-token Hunter2xx", "Hunter2xx"),
            ("Authorization:Bearer Hunter2xx", "Hunter2xx"),
            ("authorization: basic SHVudGVyMnh4", "SHVudGVyMnh4"),
            ("{\"refresh_token\":\"Hunter2xx\",\"access_token\":\"Hunter3xx\"}", "Hunter"),
            ("{\"accessToken\": \"Hunter2xx\", \"loginServer\": \"myacr.azurecr.io\"}", "Hunter2xx"),
            (
                "{\"auths\":{\"myacr.azurecr.io\":{\"auth\":\"SHVudGVyMnh4\",\"identitytoken\":\"Hunter2xx\"}}}",
                "SHVudGVyMnh4"
            ),
            ("{\"auths\":{\"myacr.azurecr.io\":{\"identitytoken\":\"Hunter2xx\"}}}", "Hunter2xx"),
            ("{\"log\":\"{\\\"password\\\":\\\"Hunter2xx\\\"}\\n\"}", "Hunter2xx"),
            ("refresh_token: Hunter2xx", "Hunter2xx"),
            ("+ export ACR_PASSWORD=Hunter2xx AZURE_CLIENT_SECRET=Hunter3xx", "Hunter"),
            ("password = Hunter2xx", "Hunter2xx"),
            ("X-Api-Key: Hunter2xx", "Hunter2xx"),
            ("secret=Hunter2xx;", "Hunter2xx"),
            ("AccountName=a;AccountKey=SHVudGVyMnh4==;EndpointSuffix=core.windows.net", "SHVudGVyMnh4"),
            ("https://a.blob.core.windows.net/c?sv=2022&sig=SHVudGVy%2Bnh4&se=2026", "SHVudGVy"),
            ("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.SHVudGVyMnh4 rejected", "SHVudGVyMnh4"),
            ("GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345", "ghp_0123456789"),
            ("url glpat-0123456789abcdefghij rejected", "glpat-0123456789"),
            ("https://ci:Hunter2xx@myacr.azurecr.io/v2/", "Hunter2xx"),
            ("\u{1B}[31mpass\u{1B}[0mword=Hunter2xx", "Hunter2xx"),
        ])
    func redacted(_ line: String, _ secret: String) {
        let excerpt = Self.excerpt(line + " unauthorized: authentication required")
        #expect(!excerpt.contains(secret), "\(excerpt)")
        #expect(excerpt.contains("***"))
    }

    @Test(
        "what is not a secret stays readable",
        arguments: [
            "failed to fetch oauth token: unexpected status: 401 Unauthorized",
            "docker login --password-stdin -u ci myacr.azurecr.io",
            "WWW-Authenticate: Bearer realm=\"https://myacr.azurecr.io/oauth2/token\",service=\"myacr.azurecr.io\"",
            "denied: requested access to the resource is denied, token_type ok",
            "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required",
        ])
    func kept(_ line: String) {
        #expect(Self.excerpt(line) == line)
    }

    @Test("fuzz ee1f517e: invalid UTF-8 never makes an excerpt longer than the bound")
    func boundWithInvalidUTF8() {
        let truncatedSequences: [UInt8] = Array([[UInt8]](repeating: [0xE2, 0x82], count: 500).joined())
        for bytes in [[UInt8](repeating: 0xFF, count: 1000), truncatedSequences] {
            let excerpt = Self.excerpt(bytes: bytes)
            #expect(excerpt.utf8.count <= Redactor.maxExcerptBytes + 3)  // and the `…`
            #expect(excerpt.hasSuffix("…"))
        }
    }

    @Test("a cut falls between characters, and a huge line is read only at its start")
    func cutBetweenCharacters() {
        let excerpt = Self.excerpt(String(repeating: "é€", count: 300))
        #expect(excerpt.utf8.count <= Redactor.maxExcerptBytes + 3)
        #expect(excerpt.hasSuffix("…"))
        #expect(!excerpt.contains("\u{FFFD}"))
        let huge = Self.excerpt(
            bytes: Array("unauthorized ".utf8) + [UInt8](repeating: 0x20, count: 8 << 20) + Array("-p Hunter2xx".utf8))
        #expect(huge == "unauthorized…")
    }

    @Test("fuzz 92da6e1e: removing NUL bytes cannot join the bytes around them into a C1 control")
    func joinedControl() {
        let excerpt = Self.excerpt(
            bytes: Array("Bearer x ".utf8) + [0xC2, 0x00, 0x00, 0x88, 0x41, 0xE2, 0x00, 0x80, 0xAE, 0x42])
        #expect(!excerpt.unicodeScalars.contains { (0x80...0x9F).contains($0.value) || $0.value == 0x202E })
        #expect(excerpt.hasSuffix("AB"))
    }

    @Test("controls, escape sequences and bidirectional overrides never reach an excerpt")
    func inert() {
        let excerpt = Self.excerpt("a\u{1B}]8;;http://x\u{07}b\u{202E}c\u{2066}d\u{9B}31me\u{0}f\rg")
        #expect(excerpt == "abcd31mefg")  // a C1 CSI goes; its parameters stay as inert text
    }
}
