import LogModel
import LogScanner
import Testing

/// The classes that round 6p (real logs from the platforms that pull from ACR: App Service,
/// Container Apps, ACI, Batch, Azure ML, AKS) showed the rules missing (docs/accuracy.md, "Round
/// 6p"): each is written from its general shape, tried in several wrappers, with its look-alikes.
@Suite struct PlatformClassTests {
    static let wrappers = ShapeClassTests.wrappers

    /// Container Apps' refusal of a revision whose image it could not pull with the app's managed
    /// identity, as the CLI, Terraform and azd (a JSON body) print it.
    static func managedIdentityPull(registry: String, image: String) -> [String] {
        let identity =
            "/subscriptions/0f2c6a9e-5d41-4c0b-9a3e-7b1e2d3c4f5a/resourceGroups/rg-web/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-web"
        return [
            "ERROR: (InvalidParameterValueInContainerTemplate) The following field(s) are either invalid or missing. "
                + "Field 'template.containers.web.image' is invalid with details: 'Invalid value: \"\(image)\": "
                + "unable to pull image using Managed identity \(identity) for registry \(registry)';.",
            "│ Message: \"Failed to provision revision for container app 'ca-web'. Error details: The following field(s) "
                + "are either invalid or missing. Field 'template.containers.web.image' is invalid with details: "
                + "'Invalid value: \\\"\(image)\\\": unable to pull image using Managed identity system for registry \(registry)';..\"",
            "    \"message\": \"The following field(s) are either invalid or missing. Field 'template.containers.api.image' "
                + "is invalid with details: 'Invalid value: \\\"\(image)\\\": unable to pull image using Managed identity "
                + "\(identity) for registry \(registry)';.\"",
        ]
    }

    @Test("Container Apps' managed-identity pull refusal is ACR's own words: counted with a masked registry too")
    func managedIdentityPullMasked() {
        for registry in ["<REDACTED>", "***", "[REDACTED]"] {
            for line in Self.managedIdentityPull(registry: registry, image: registry + "/web:1.4.2") {
                for wrapper in Self.wrappers {
                    let found = Support.scan(lines: [wrapper.wrap(line)])
                    #expect(found.map(\.type) == [.identityPermission], "\(wrapper.name): \(line)")
                    #expect(found.first?.registry == nil, "\(wrapper.name): \(line)")
                }
            }
        }
    }

    @Test("with the login server written out, the refusal names the registry")
    func managedIdentityPullNamed() {
        for line in Self.managedIdentityPull(registry: "contosoprod.azurecr.io", image: "contosoprod.azurecr.io/web:2")
        {
            for wrapper in Self.wrappers {
                let found = Support.scan(lines: [wrapper.wrap(line)])
                #expect(found.map(\.type) == [.identityPermission], "\(wrapper.name): \(line)")
                #expect(found.first?.registry == "contosoprod", "\(wrapper.name): \(line)")
            }
        }
    }

    @Test("Container Apps' other image refusals are the registry's or no auth failure at all")
    func containerAppsLookAlikes() {
        let prefix =
            "ContainerAppOperationError: Failed to provision revision for container app 'ca-web'. Error details: The following field(s) are either invalid or missing. Field 'template.containers.web.image' is invalid with details: 'Invalid value: "
        let lookAlikes = [
            // Another registry refusing the revision's pull (GHCR, Docker Hub).
            prefix
                + "\"ghcr.io/contoso/web:0.2.0\": GET https:?scope=repository%3Acontoso%2Fweb%3Apull&service=ghcr.io: UNAUTHORIZED: authentication required';..",
            prefix
                + "\"docker.io/contoso/web:1\": GET https://auth.docker.io/token?scope=repository%3Acontoso%2Fweb%3Apull&service=registry.docker.io: UNAUTHORIZED: incorrect username or password';..",
            // An ACR host that does not resolve, an ACR tag that does not exist.
            prefix
                + "\"contosoprod.azurecr.io/web:latest\": Get \"https://contosoprod.azurecr.io/v2/\": dial tcp: lookup contosoprod.azurecr.io on 168.63.129.16:53: no such host';..",
            prefix
                + "\"contosoprod.azurecr.io/web:9.9\": GET https://contosoprod.azurecr.io/v2/web/manifests/9.9: MANIFEST_UNKNOWN: manifest tagged by \"9.9\" is not found';..",
            // The identity's own set-up, with no pull.
            "Managed identity id-web was assigned to container app 'ca-web'; pulling image contosoprod.azurecr.io/web:2",
        ]
        for line in lookAlikes {
            for wrapper in Self.wrappers {
                let found = Support.scan(lines: [wrapper.wrap(line)])
                #expect(found.isEmpty, "\(wrapper.name): \(line)")
            }
        }
    }

    static let assignFailed = "Could not create a role assignment for ACR. Are you an Owner on this subscription?"
    static let deleteFailed = "Could not delete role assignments for ACR. Are you an Owner on this subscription?"

    @Test("az aks --attach-acr/--detach-acr that may not grant the role on the registry is identity-permission")
    func attachACRRoleAssignment() {
        let commands: [(String, String?)] = [
            ("az aks update -n aks-web -g rg-web --attach-acr contosoprod", "contosoprod"),
            ("az aks update --attach-acr contosoprod -n aks-web -g rg-web", "contosoprod"),
            ("az aks create -g rg-web -n aks-web --generate-ssh-keys --attach-acr=fabrikamci", "fabrikamci"),
            ("az aks update -n aks-web -g rg-web --attach-acr contosoprod.azurecr.io", "contosoprod"),
            (
                "az aks update -g rg-web -n aks-web --attach-acr /subscriptions/0f2c6a9e-5d41-4c0b-9a3e-7b1e2d3c4f5a/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/contosoprod",
                "contosoprod"
            ),
            ("az aks update -n $AKS_NAME -g $RESOURCE_GROUP --attach-acr $ACR_NAME", nil),
            ("az aks update -g {} -n {} --attach-acr {}", nil),
        ]
        for (command, registry) in commands {
            for wrapper in Self.wrappers {
                for message in [
                    "Waiting for AAD role to propagate[################################    ]  90.0000%"
                        + Self.assignFailed,
                    "ERROR: " + Self.assignFailed,
                ] {
                    let found = Support.scan(lines: [wrapper.wrap(command), wrapper.wrap(message)])
                    #expect(found.map(\.type) == [.identityPermission], "\(wrapper.name): \(command)")
                    #expect(found.first?.registry == registry, "\(wrapper.name): \(command)")
                }
            }
        }
        let detach = Support.scan(lines: [
            "az aks update -n aks-web -g rg-web --detach-acr contosoprod", "ERROR: " + Self.deleteFailed,
        ])
        #expect(detach.map(\.type) == [.identityPermission])
        #expect(detach.first?.registry == "contosoprod")
        // The message alone (az feedback's report puts the command after it): ACR, registry unknown.
        let alone = Support.scan(lines: [Self.assignFailed, "- `az aks update -g {} -n {} --attach-acr {}`"])
        #expect(alone.map(\.type) == [.identityPermission])
        #expect(alone.first?.registry == nil)
        // Wrapped by a terminal: one failure.
        let wrapped = Support.scan(lines: [
            "Waiting for AAD role to propagate[################################    ]  90.0000%Could not create a role assignment for ACR. Are ",
            "you an Owner on this subscription?",
        ])
        #expect(wrapped.map(\.type) == [.identityPermission])
    }

    @Test("the same CLI's messages for other scopes, and ACR not found, are not counted")
    func attachACRLookAlikes() {
        let lookAlikes = [
            "Could not create a role assignment for subnet. Are you an Owner on this subscription?",
            "Could not create a role assignment for virtual node addon. Are you an Owner on this subscription?",
            "ERROR: ACR contosoprod not found. Have you provided the right ACR name?",
            "Could not grant Managed Identity Operator permission to cluster identity at scope /subscriptions/0f2c6a9e-5d41-4c0b-9a3e-7b1e2d3c4f5a/resourcegroups/rg-web",
            "Waiting for AAD role to propagate[################################    ]  90.0000%",
            "Created a role assignment for ACR contosoprod (AcrPull) for the cluster's kubelet identity.",
        ]
        for line in lookAlikes {
            for wrapper in Self.wrappers {
                let found = Support.scan(lines: [
                    wrapper.wrap("az aks update -n aks-web -g rg-web --attach-acr contosoprod"), wrapper.wrap(line),
                ])
                #expect(found.isEmpty, "\(wrapper.name): \(line)")
            }
        }
    }

    @Test("an az aks command's -n names the cluster, its --acr the registry")
    func aksCommandNamesRegistry() {
        let found = Support.scan(lines: [
            "az aks check-acr -g rg-web -n aksclusterweb --acr contosoprod",
            "unauthorized: authentication required",
        ])
        #expect(found.map(\.type) == [.unauthorized])
        #expect(found.first?.registry == "contosoprod")
        // An `az acr` command's -n still names the registry.
        let acr = Support.scan(lines: ["az acr login -n fabrikamci", "unauthorized: authentication required"])
        #expect(acr.first?.registry == "fabrikamci")
    }

    /// azure-core's `HttpResponseError` as the Azure CLI prints a hosted service's error: `(CODE)
    /// MESSAGE`, then `Code: CODE` and `Message: MESSAGE` repeating it (`ODataV4Format.__str__`).
    static func azureCoreError(code: String, message: String) -> [String] {
        ["ERROR: (\(code)) \(message)", "Code: \(code)", "Message: \(message)"]
    }

    @Test("azure-core's Code:/Message: trailer repeating a service's error is the same failure, in every wrapper")
    func azureCoreTrailer() {
        let refusals: [(code: String, message: String, type: ErrorType)] = [
            (
                "InvalidParameterValueInContainerTemplate",
                "The following field(s) are either invalid or missing. Field 'template.containers.web.image' is invalid with details: 'Invalid value: \"contosoprod.azurecr.io/web:2\": unable to pull image using Managed identity system for registry contosoprod.azurecr.io';.",
                .identityPermission
            ),
            (
                "WebhookInvalidParameterValue",
                "The following field(s) are either invalid or missing. Invalid value: \"contosoprod.azurecr.io/web:2\": GET https://contosoprod.azurecr.io/oauth2/token?scope=repository%3Aweb%3Apull&service=contosoprod.azurecr.io: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.: template.containers.web.image.",
                .unauthorized
            ),
            (
                "InvalidParameterValueInContainerTemplate",
                "The following field(s) are either invalid or missing. Field 'template.containers.web.image' is invalid with details: 'Invalid value: \"contosoprod.azurecr.io/web:2\": GET https://contosoprod.azurecr.io/oauth2/token?scope=repository%3Aweb%3Apull&service=contosoprod.azurecr.io: DENIED: client with IP '198.51.100.23' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.';.",
                .ipNotAllowed
            ),
        ]
        for refusal in refusals {
            for wrapper in SourceFormatTests.wrappers {
                let lines = Self.azureCoreError(code: refusal.code, message: refusal.message).map(wrapper.wrap)
                let found = Support.scan(lines: lines)
                #expect(found.map(\.type) == [refusal.type], "\(wrapper.name): \(refusal.code)")
                #expect(found.first?.registry == "contosoprod", "\(wrapper.name): \(refusal.code)")
                #expect(found.first.map { ($0.line, $0.lineEnd) }! == (1, 3), "\(wrapper.name): \(refusal.code)")
            }
        }
    }

    @Test("the same error printed again is a retry; a Message: line of another type, or far from it, is its own")
    func azureCoreTrailerLimits() {
        let code = "InvalidParameterValueInContainerTemplate"
        let message =
            "The following field(s) are either invalid or missing. Field 'template.containers.web.image' is invalid with details: 'Invalid value: \"contosoprod.azurecr.io/web:2\": unable to pull image using Managed identity system for registry contosoprod.azurecr.io';."
        // A retry prints the whole error again: two failures.
        let retried = Support.scan(
            lines: Self.azureCoreError(code: code, message: message) + Self.azureCoreError(code: code, message: message)
        )
        #expect(retried.map(\.type) == [.identityPermission, .identityPermission])
        // A Message: line of another type right after it is another failure.
        let other = Support.scan(lines: [
            "ERROR: (\(code)) \(message)",
            "Message: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
        ])
        #expect(other.map(\.type) == [.identityPermission, .unauthorized])
        // The same words further down than an echo's five lines are not its trailer. (Within five lines
        // they are the same failure re-reported under another lead, an echo: matcher 10, round 6b.)
        let far = Support.scan(lines: [
            "ERROR: (\(code)) \(message)", "Code: \(code)", "Target: template", "Details: none", "Inner error: none",
            "Additional info: none", "Message: \(message)",
        ])
        #expect(far.map(\.type) == [.identityPermission, .identityPermission])
    }

    @Test("a Message: word inside another producer's line is no trailer: App Service's retried pull counts twice")
    func messageWordMidLine() {
        let pull =
            "ERROR - Site: web-prod - Docker client error. Pull image failed. Image: contosoprod.azurecr.io/web:2. StatusCode: InternalServerError. Message: Docker API responded with status code=InternalServerError, response={\"message\":\"Get https://contosoprod.azurecr.io/v2/web/manifests/2: unauthorized: authentication required\"}"
        for wrapper in SourceFormatTests.wrappers {
            let found = Support.scan(lines: [wrapper.wrap(pull), wrapper.wrap(pull)])
            #expect(found.map(\.type) == [.unauthorized, .unauthorized], "\(wrapper.name)")
        }
        // The same with App Service's own day-first timestamps, one second apart.
        let stamped = Support.scan(lines: [
            "17/09/2026 18:41:42.500 " + pull, "17/09/2026 18:41:43.512 " + pull,
        ])
        #expect(stamped.map(\.type) == [.unauthorized, .unauthorized])
    }

    /// A Kubernetes event's refusal as Container Apps' system log, an event exporter and an ECS
    /// shipper write it: one JSON object per line, its time under another key than `time`.
    static let eventMessage =
        #"Failed to pull image \"contosoprod.azurecr.io/web:2\": failed to pull and unpack image \"contosoprod.azurecr.io/web:2\": failed to resolve reference \"contosoprod.azurecr.io/web:2\": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://contosoprod.azurecr.io/oauth2/token?scope=repository%3Aweb%3Apull\u0026service=contosoprod.azurecr.io: 401 Unauthorized"#
    /// 2026-11-20T03:14:15Z.
    static let expectedTime: Int64 = 1_795_144_455_000

    @Test(
        "JSON event rows carry their own time: Container Apps' TimeStamp (Go's time format), lastTimestamp, @timestamp")
    func jsonEventTime() {
        let rows: [(String, Int64)] = [
            (
                #"{"TimeStamp":"2026-11-20 03:14:15 +0000 UTC","Type":"Warning","ContainerAppName":"web","RevisionName":"web--x1y2z3","Msg":""#
                    + Self.eventMessage
                    + #"","Reason":"ImagePullFailure","EventSource":"ContainerAppController","Count":3}"#,
                Self.expectedTime
            ),
            (
                #"{"TimeStamp":"2026-11-20 05:14:15.250 +0200 EET","Type":"Warning","ContainerAppName":"web","Msg":""#
                    + Self.eventMessage
                    + #"","Reason":"ImagePullFailure","EventSource":"ContainerAppController","Count":1}"#,
                Self.expectedTime + 250
            ),
            (
                #"{"metadata":{"name":"web.17a3b2c1d0e9f8a7","namespace":"shop"},"reason":"Failed","message":""#
                    + Self.eventMessage
                    + #"","source":{"component":"kubelet"},"firstTimestamp":"2026-11-20T03:02:01Z","lastTimestamp":"2026-11-20T03:14:15Z","count":4,"type":"Warning"}"#,
                Self.expectedTime
            ),
            (
                #"{"@timestamp":"2026-11-20T03:14:15.000Z","log.level":"warn","kubernetes.event.reason":"Failed","message":""#
                    + Self.eventMessage + #""}"#,
                Self.expectedTime
            ),
        ]
        // A number after a time that cannot be an offset stays a number.
        let notOffset = Support.scan(lines: [
            "2026-11-20 03:14:15 -2048 unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
        ])
        #expect(notOffset.first?.timestamp == Self.expectedTime)
        for (row, time) in rows {
            // An earlier line with another time: the row's own time must win.
            let found = Support.scan(lines: ["2026-11-19T23:00:00.0000000Z starting", row])
            #expect(found.map(\.type) == [.anonymousPull], "\(row.prefix(40))")
            #expect(found.first?.timestamp == time, "\(row.prefix(40))")
            #expect(found.first?.registry == "contosoprod", "\(row.prefix(40))")
        }
    }

    @Test("a Kubernetes event row's count is its attempts, as (x4 over …) is; another JSON count is not")
    func jsonEventCount() {
        let aca = Support.scan(lines: [
            #"{"TimeStamp":"2026-11-20 03:14:15 +0000 UTC","Type":"Warning","Msg":""# + Self.eventMessage
                + #"","Reason":"ImagePullFailure","EventSource":"ContainerAppController","Count":3}"#
        ])
        #expect(aca.map(\.attempts) == [3])
        let exporter = Support.scan(lines: [
            #"{"reason":"Failed","message":""# + Self.eventMessage
                + #"","lastTimestamp":"2026-11-20T03:14:15Z","count":261,"type":"Warning"}"#
        ])
        #expect(exporter.map(\.attempts) == [261])
        // A JSON log line with a count that is no event's (a retry counter, a page size): one attempt.
        let other = Support.scan(lines: [
            #"{"time":"2026-11-20T03:14:15Z","level":"error","count":5,"msg":""# + Self.eventMessage + #""}"#
        ])
        #expect(other.map(\.attempts) == [1])
    }
}
