// Expected outputs for `Sample`, generated once and then checked by hand. Each literal is the
// output without its final newline. `{title:TYPE}` and `{reference:TYPE}` stand for the
// remediation catalog's text, so that editing the catalog does not break these goldens; the
// remediation sections of Markdown and HTML are checked against the catalog in GoldenTests.
// A `·` at the end of a line stands for a trailing space (an ASCII sparkline's zero columns).

/// The golden outputs.
enum Golden {
    /// The table renderer, Unicode, no colour.
    static let reportTable = #"""
        acrscan report: 2026-11-16T00:00:00Z to 2026-11-21T00:00:00Z; by registry, type; day buckets

        REGISTRY     TYPE            COUNT  ATTEMPTS  FIRST SEEN            LAST SEEN             CHANGE  TREND
        contosoprod  unauthorized       14        14  2026-11-16T08:00:00Z  2026-11-20T03:20:00Z      +8  ▂▁▂▃█
        (unknown)    anonymous-pull      4       265  2026-11-19T01:00:00Z  2026-11-19T02:00:00Z     new  ▁▁▁█▁
        contosoprod  access-denied       3         5  2026-11-18T12:00:00Z  2026-11-18T13:00:00Z      -2  ▁▁█▁▁
        fabrikam     ip-not-allowed      2         2  2026-11-20T09:00:00Z  2026-11-20T09:05:00Z     new  ▁▁▁▁█

        Total: 23 occurrences (286 attempts) in 4 groups; previous window: 11 (+12)

        Spikes (count >= 90th percentile + 5 and score >= 4, over the 14 days before):
          2026-11-20  contosoprod  unauthorized  10  baseline 0  score 10.0

        New in this window (none in the previous window):
          fabrikam   ip-not-allowed
          (unknown)  anonymous-pull

        fix: unauthorized on contosoprod: {title:unauthorized}
          seen: repositories web
          $ az acr login --name 'contosoprod'
          $ az acr credential renew --name 'contosoprod' --password-name password
          $ az acr token credential generate --name <token> --registry 'contosoprod' --password1
          $ az ad sp credential reset --id <app-id> --append
          $ az acr repository show-tags --name 'contosoprod' --repository 'web'
          more: acrscan explain unauthorized, {reference:unauthorized}

        fix: anonymous-pull on (unknown): {title:anonymous-pull}
          $ az aks update --name <cluster> --resource-group <resource-group> --attach-acr <registry>
          $ kubectl create secret docker-registry <secret> --namespace <namespace> --docker-server=<registry>.azurecr.io --docker-username=<app-id> --docker-password=<password>
          $ az acr repository show-tags --name <registry> --repository <repository>
          more: acrscan explain anonymous-pull, {reference:anonymous-pull}

        fix: access-denied on contosoprod: {title:access-denied}
          seen: identities 7d2e1b90-4c3a-4f8e-b5d6-19a0c2e3f471; repositories team/api, team/web and 1 more
          1 more repository not shown; 'acrscan report --by registry,type,repository' lists them all.
          $ az role assignment create --assignee '7d2e1b90-4c3a-4f8e-b5d6-19a0c2e3f471' --role AcrPush --scope $(az acr show --name 'contosoprod' --query id --output tsv)
          $ az acr repository show-tags --name 'contosoprod' --repository 'team/api'
          $ az acr repository show-tags --name 'contosoprod' --repository 'team/web'
          more: acrscan explain access-denied, {reference:access-denied}

        fix: ip-not-allowed on fabrikam: {title:ip-not-allowed}
          seen: client IPs 203.0.113.7, 2001:db8::5; codes CONNECTIVITY_FORBIDDEN_ERROR
          CONNECTIVITY_FORBIDDEN_ERROR: the registry's firewall refused the client.
          $ az acr network-rule add --name 'fabrikam' --ip-address '203.0.113.7'
          $ az acr network-rule add --name 'fabrikam' --ip-address '2001:db8::5'
          $ az acr show --name 'fabrikam' --query networkRuleSet
          more: acrscan explain ip-not-allowed, https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks
        """#

    /// The table renderer with ASCII sparklines.
    static let reportTableASCII = #"""
        acrscan report: 2026-11-16T00:00:00Z to 2026-11-21T00:00:00Z; by registry, type; day buckets

        REGISTRY     TYPE            COUNT  ATTEMPTS  FIRST SEEN            LAST SEEN             CHANGE  TREND
        contosoprod  unauthorized       14        14  2026-11-16T08:00:00Z  2026-11-20T03:20:00Z      +8  . .:#
        (unknown)    anonymous-pull      4       265  2026-11-19T01:00:00Z  2026-11-19T02:00:00Z     new     #·
        contosoprod  access-denied       3         5  2026-11-18T12:00:00Z  2026-11-18T13:00:00Z      -2    #··
        fabrikam     ip-not-allowed      2         2  2026-11-20T09:00:00Z  2026-11-20T09:05:00Z     new      #

        Total: 23 occurrences (286 attempts) in 4 groups; previous window: 11 (+12)

        Spikes (count >= 90th percentile + 5 and score >= 4, over the 14 days before):
          2026-11-20  contosoprod  unauthorized  10  baseline 0  score 10.0

        New in this window (none in the previous window):
          fabrikam   ip-not-allowed
          (unknown)  anonymous-pull

        fix: unauthorized on contosoprod: {title:unauthorized}
          seen: repositories web
          $ az acr login --name 'contosoprod'
          $ az acr credential renew --name 'contosoprod' --password-name password
          $ az acr token credential generate --name <token> --registry 'contosoprod' --password1
          $ az ad sp credential reset --id <app-id> --append
          $ az acr repository show-tags --name 'contosoprod' --repository 'web'
          more: acrscan explain unauthorized, {reference:unauthorized}

        fix: anonymous-pull on (unknown): {title:anonymous-pull}
          $ az aks update --name <cluster> --resource-group <resource-group> --attach-acr <registry>
          $ kubectl create secret docker-registry <secret> --namespace <namespace> --docker-server=<registry>.azurecr.io --docker-username=<app-id> --docker-password=<password>
          $ az acr repository show-tags --name <registry> --repository <repository>
          more: acrscan explain anonymous-pull, {reference:anonymous-pull}

        fix: access-denied on contosoprod: {title:access-denied}
          seen: identities 7d2e1b90-4c3a-4f8e-b5d6-19a0c2e3f471; repositories team/api, team/web and 1 more
          1 more repository not shown; 'acrscan report --by registry,type,repository' lists them all.
          $ az role assignment create --assignee '7d2e1b90-4c3a-4f8e-b5d6-19a0c2e3f471' --role AcrPush --scope $(az acr show --name 'contosoprod' --query id --output tsv)
          $ az acr repository show-tags --name 'contosoprod' --repository 'team/api'
          $ az acr repository show-tags --name 'contosoprod' --repository 'team/web'
          more: acrscan explain access-denied, {reference:access-denied}

        fix: ip-not-allowed on fabrikam: {title:ip-not-allowed}
          seen: client IPs 203.0.113.7, 2001:db8::5; codes CONNECTIVITY_FORBIDDEN_ERROR
          CONNECTIVITY_FORBIDDEN_ERROR: the registry's firewall refused the client.
          $ az acr network-rule add --name 'fabrikam' --ip-address '203.0.113.7'
          $ az acr network-rule add --name 'fabrikam' --ip-address '2001:db8::5'
          $ az acr show --name 'fabrikam' --query networkRuleSet
          more: acrscan explain ip-not-allowed, https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks
        """#

    /// The JSON renderer.
    static let reportJSON = #"""
        {"schema":"acrscan.report/v3","window":{"since":"2026-11-16T00:00:00Z","until":"2026-11-21T00:00:00Z","bucket":"day","first_bucket":"2026-11-16T00:00:00Z","last_bucket":"2026-11-20T00:00:00Z"},"filter":{"registry":null,"type":null,"host":null},"by":["registry","type"],"sort":"count","total":23,"attempts":286,"previous_total":11,"groups":[{"registry":"contosoprod","type":"unauthorized","count":14,"attempts":14,"first_seen":"2026-11-16T08:00:00Z","last_seen":"2026-11-20T03:20:00Z","previous_count":6,"remediation":{"title":"{title:unauthorized}","doc":"{reference:unauthorized}","evidence":{"registry":{"values":["contosoprod"],"more":0},"client_ip":{"values":[],"more":0},"identity":{"values":[],"more":0},"repository":{"values":["web"],"more":0},"code":{"values":[],"more":0}},"notes":[],"steps":[{"text":"Sign in again; a stale or expired login is the most common cause.","commands":["az acr login --name 'contosoprod'"]},{"text":"If the job uses the admin user: generate a new password, then update every place that stores it.","commands":["az acr credential renew --name 'contosoprod' --password-name password"]},{"text":"If it uses a repository-scoped token: generate a new password for it.","commands":["az acr token credential generate --name \u003ctoken\u003e --registry 'contosoprod' --password1"]},{"text":"If it signs in as a service principal: create a new secret (--append keeps the old one).","commands":["az ad sp credential reset --id \u003capp-id\u003e --append"]},{"text":"Check that the repository and tag exist: ACR refuses a missing one as if access were denied.","commands":["az acr repository show-tags --name 'contosoprod' --repository 'web'"]}],"commands":["az acr login --name 'contosoprod'","az acr credential renew --name 'contosoprod' --password-name password","az acr token credential generate --name \u003ctoken\u003e --registry 'contosoprod' --password1","az ad sp credential reset --id \u003capp-id\u003e --append","az acr repository show-tags --name 'contosoprod' --repository 'web'"]}},{"registry":null,"type":"anonymous-pull","count":4,"attempts":265,"first_seen":"2026-11-19T01:00:00Z","last_seen":"2026-11-19T02:00:00Z","previous_count":0,"remediation":{"title":"{title:anonymous-pull}","doc":"{reference:anonymous-pull}","evidence":{"registry":{"values":[],"more":0},"client_ip":{"values":[],"more":0},"identity":{"values":[],"more":0},"repository":{"values":[],"more":0},"code":{"values":[],"more":0}},"notes":[],"steps":[{"text":"Attach the registry to the AKS cluster; this grants AcrPull to its kubelet identity.","commands":["az aks update --name \u003ccluster\u003e --resource-group \u003cresource-group\u003e --attach-acr \u003cregistry\u003e"]},{"text":"Outside AKS: create a pull secret in the pod's namespace and name it in imagePullSecrets.","commands":["kubectl create secret docker-registry \u003csecret\u003e --namespace \u003cnamespace\u003e --docker-server=\u003cregistry\u003e.azurecr.io --docker-username=\u003capp-id\u003e --docker-password=\u003cpassword\u003e"]},{"text":"Check that the repository and tag exist: ACR refuses a missing one as if access were denied.","commands":["az acr repository show-tags --name \u003cregistry\u003e --repository \u003crepository\u003e"]}],"commands":["az aks update --name \u003ccluster\u003e --resource-group \u003cresource-group\u003e --attach-acr \u003cregistry\u003e","kubectl create secret docker-registry \u003csecret\u003e --namespace \u003cnamespace\u003e --docker-server=\u003cregistry\u003e.azurecr.io --docker-username=\u003capp-id\u003e --docker-password=\u003cpassword\u003e","az acr repository show-tags --name \u003cregistry\u003e --repository \u003crepository\u003e"]}},{"registry":"contosoprod","type":"access-denied","count":3,"attempts":5,"first_seen":"2026-11-18T12:00:00Z","last_seen":"2026-11-18T13:00:00Z","previous_count":5,"remediation":{"title":"{title:access-denied}","doc":"{reference:access-denied}","evidence":{"registry":{"values":["contosoprod"],"more":0},"client_ip":{"values":[],"more":0},"identity":{"values":["7d2e1b90-4c3a-4f8e-b5d6-19a0c2e3f471"],"more":0},"repository":{"values":["team/api","team/web"],"more":1},"code":{"values":[],"more":0}},"notes":["1 more repository not shown; 'acrscan report --by registry,type,repository' lists them all."],"steps":[{"text":"Grant the identity AcrPush on the registry (AcrPull when it only pulls).","commands":["az role assignment create --assignee '7d2e1b90-4c3a-4f8e-b5d6-19a0c2e3f471' --role AcrPush --scope $(az acr show --name 'contosoprod' --query id --output tsv)"]},{"text":"Check that the repository and tag exist: ACR refuses a missing one as if access were denied.","commands":["az acr repository show-tags --name 'contosoprod' --repository 'team/api'","az acr repository show-tags --name 'contosoprod' --repository 'team/web'"]}],"commands":["az role assignment create --assignee '7d2e1b90-4c3a-4f8e-b5d6-19a0c2e3f471' --role AcrPush --scope $(az acr show --name 'contosoprod' --query id --output tsv)","az acr repository show-tags --name 'contosoprod' --repository 'team/api'","az acr repository show-tags --name 'contosoprod' --repository 'team/web'"]}},{"registry":"fabrikam","type":"ip-not-allowed","count":2,"attempts":2,"first_seen":"2026-11-20T09:00:00Z","last_seen":"2026-11-20T09:05:00Z","previous_count":0,"remediation":{"title":"{title:ip-not-allowed}","doc":"https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks","evidence":{"registry":{"values":["fabrikam"],"more":0},"client_ip":{"values":["203.0.113.7","2001:db8::5"],"more":0},"identity":{"values":[],"more":0},"repository":{"values":[],"more":0},"code":{"values":["CONNECTIVITY_FORBIDDEN_ERROR"],"more":0}},"notes":["CONNECTIVITY_FORBIDDEN_ERROR: the registry's firewall refused the client."],"steps":[{"text":"Allow the refused client addresses in the registry's firewall (IP rules need the Premium tier).","commands":["az acr network-rule add --name 'fabrikam' --ip-address '203.0.113.7'","az acr network-rule add --name 'fabrikam' --ip-address '2001:db8::5'"]},{"text":"Check the rules and the default action.","commands":["az acr show --name 'fabrikam' --query networkRuleSet"]}],"commands":["az acr network-rule add --name 'fabrikam' --ip-address '203.0.113.7'","az acr network-rule add --name 'fabrikam' --ip-address '2001:db8::5'","az acr show --name 'fabrikam' --query networkRuleSet"]}}],"omitted_groups":0,"omitted_count":0,"trend":[{"bucket":"2026-11-16T00:00:00Z","registry":"contosoprod","type":"unauthorized","count":1},{"bucket":"2026-11-18T00:00:00Z","registry":"contosoprod","type":"access-denied","count":3},{"bucket":"2026-11-18T00:00:00Z","registry":"contosoprod","type":"unauthorized","count":1},{"bucket":"2026-11-19T00:00:00Z","registry":"contosoprod","type":"unauthorized","count":2},{"bucket":"2026-11-19T00:00:00Z","registry":null,"type":"anonymous-pull","count":4},{"bucket":"2026-11-20T00:00:00Z","registry":"contosoprod","type":"unauthorized","count":10},{"bucket":"2026-11-20T00:00:00Z","registry":"fabrikam","type":"ip-not-allowed","count":2}],"spike_rule":{"history":14,"minimum_history":7,"minimum_rise":5,"threshold":4},"spikes":[{"bucket":"2026-11-20T00:00:00Z","registry":"contosoprod","type":"unauthorized","count":10,"baseline":0,"history":14,"score":10.0}],"new_pairs":[{"registry":"fabrikam","type":"ip-not-allowed"},{"registry":null,"type":"anonymous-pull"}],"remediation":[{"type":"access-denied","title":"{title:access-denied}","explain":"acrscan explain access-denied","reference":"{reference:access-denied}"},{"type":"anonymous-pull","title":"{title:anonymous-pull}","explain":"acrscan explain anonymous-pull","reference":"{reference:anonymous-pull}"},{"type":"ip-not-allowed","title":"{title:ip-not-allowed}","explain":"acrscan explain ip-not-allowed","reference":"{reference:ip-not-allowed}"},{"type":"unauthorized","title":"{title:unauthorized}","explain":"acrscan explain unauthorized","reference":"{reference:unauthorized}"}],"selection":null,"unknown_candidates":{"candidates":0,"templates":0,"command":"acrscan unknowns"}}
        """#

    /// The CSV renderer, with LF for CRLF and `\n` for a line feed inside a cell.
    static let reportCSV = #"""
        registry,type,count,attempts,first_seen,last_seen,previous_count,remediation,fix
        contosoprod,unauthorized,14,14,2026-11-16T08:00:00Z,2026-11-20T03:20:00Z,6,{reference:unauthorized},"az acr login --name 'contosoprod'\naz acr credential renew --name 'contosoprod' --password-name password\naz acr token credential generate --name <token> --registry 'contosoprod' --password1\naz ad sp credential reset --id <app-id> --append\naz acr repository show-tags --name 'contosoprod' --repository 'web'"
        ,anonymous-pull,4,265,2026-11-19T01:00:00Z,2026-11-19T02:00:00Z,0,{reference:anonymous-pull},"az aks update --name <cluster> --resource-group <resource-group> --attach-acr <registry>\nkubectl create secret docker-registry <secret> --namespace <namespace> --docker-server=<registry>.azurecr.io --docker-username=<app-id> --docker-password=<password>\naz acr repository show-tags --name <registry> --repository <repository>"
        contosoprod,access-denied,3,5,2026-11-18T12:00:00Z,2026-11-18T13:00:00Z,5,{reference:access-denied},"az role assignment create --assignee '7d2e1b90-4c3a-4f8e-b5d6-19a0c2e3f471' --role AcrPush --scope $(az acr show --name 'contosoprod' --query id --output tsv)\naz acr repository show-tags --name 'contosoprod' --repository 'team/api'\naz acr repository show-tags --name 'contosoprod' --repository 'team/web'"
        fabrikam,ip-not-allowed,2,2,2026-11-20T09:00:00Z,2026-11-20T09:05:00Z,0,https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks,"az acr network-rule add --name 'fabrikam' --ip-address '203.0.113.7'\naz acr network-rule add --name 'fabrikam' --ip-address '2001:db8::5'\naz acr show --name 'fabrikam' --query networkRuleSet"
        """#

    /// The Markdown renderer, up to the remediation section.
    static let reportMarkdown = #"""
        # acrscan report

        Window: 2026-11-16T00:00:00Z to 2026-11-21T00:00:00Z; by registry, type; day buckets.

        **23 occurrences (286 attempts) in 4 groups; previous window: 11 (+12)**

        | Registry | Type | Count | Attempts | First seen | Last seen | Change | Trend |
        |---|---|--:|--:|---|---|--:|---|
        | contosoprod | unauthorized | 14 | 14 | 2026-11-16T08:00:00Z | 2026-11-20T03:20:00Z | +8 | ▂▁▂▃█ |
        | (unknown) | anonymous-pull | 4 | 265 | 2026-11-19T01:00:00Z | 2026-11-19T02:00:00Z | new | ▁▁▁█▁ |
        | contosoprod | access-denied | 3 | 5 | 2026-11-18T12:00:00Z | 2026-11-18T13:00:00Z | -2 | ▁▁█▁▁ |
        | fabrikam | ip-not-allowed | 2 | 2 | 2026-11-20T09:00:00Z | 2026-11-20T09:05:00Z | new | ▁▁▁▁█ |

        ## Spikes

        A spike is a day whose count is at least 5 above the 90th percentile of the 14 days before it (from 7 observed ones on), and at least 4 robust standard deviations above their median, the baseline (score = (count - baseline) / max(sqrt(baseline), 1.4826 x MAD, IQR / 1.349)).

        | Bucket | Registry | Type | Count | Baseline | Score |
        |---|---|---|--:|--:|--:|
        | 2026-11-20 | contosoprod | unauthorized | 10 | 0 | 10.0 |

        ## New in this window

        Registry and type pairs with no occurrence in the previous window:

        - fabrikam ip-not-allowed
        - (unknown) anonymous-pull

        """#

    /// The HTML renderer, up to the remediation section.
    static let reportHTML = #"""
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>acrscan report</title>
        <style>
        html { -webkit-text-size-adjust: 100%; }
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; box-sizing: border-box; }
        h1, h2, h3 { font-weight: 600; }
        table { border-collapse: collapse; margin: 1em 0; width: 100%; }
        th, td { padding: 0.25em 0.5em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        th.n, td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.t { font-variant-numeric: tabular-nums; min-width: 6em; }
        td.spark { white-space: nowrap; font-size: 75%; letter-spacing: -0.05em; }
        td.x { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 85%; }
        mark { background: #ffe08a; }
        code { background: #f3f3f3; padding: 0.1em 0.3em; border-radius: 3px; font-size: 90%; overflow-wrap: anywhere; word-break: break-all; }
        svg { display: block; max-width: 100%; height: auto; margin: 0.5em 0; font-size: 11px; }
        .legend span { display: inline-block; margin-right: 1.2em; }
        .swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em; vertical-align: middle; border: 1px solid #fff; }
        .muted { color: #666; }
        @page { size: A4; margin: 12mm; }
        @media print {
          body { max-width: none; margin: 0; padding: 0; font-size: 9pt; }
          h2, h3, h4 { break-after: avoid; }
          tr, svg, li { break-inside: avoid; }
          a { color: inherit; }
        }
        </style>
        </head>
        <body>
        <h1>acrscan report</h1>
        <p>Window: 2026-11-16T00:00:00Z to 2026-11-21T00:00:00Z; by registry, type; day buckets.</p>
        <p><strong>23 occurrences (286 attempts) in 4 groups; previous window: 11 (+12)</strong></p>
        <h2>Failures per day by type</h2>
        <svg xmlns="http://www.w3.org/2000/svg" width="392" height="216" viewBox="0 0 392 216" role="img" aria-label="Failures per day by type">
        <line x1="40" y1="192" x2="344" y2="192" stroke="#888"/>
        <text x="37" y="196" text-anchor="end">0</text>
        <line x1="40" y1="132" x2="344" y2="132" stroke="#e3e3e3"/>
        <text x="37" y="136" text-anchor="end">5</text>
        <line x1="40" y1="72" x2="344" y2="72" stroke="#e3e3e3"/>
        <text x="37" y="76" text-anchor="end">10</text>
        <line x1="40" y1="12" x2="344" y2="12" stroke="#e3e3e3"/>
        <text x="37" y="16" text-anchor="end">15</text>
        <line x1="44" y1="12" x2="44" y2="192" stroke="#888"/>
        <rect x="45" y="180" width="58" height="12" fill="#d55e00"><title>2026-11-16 unauthorized: 1</title></rect>
        <rect x="165" y="156" width="58" height="36" fill="#0072b2"><title>2026-11-18 access-denied: 3</title></rect>
        <rect x="165" y="144" width="58" height="12" fill="#d55e00"><title>2026-11-18 unauthorized: 1</title></rect>
        <rect x="225" y="144" width="58" height="48" fill="#000000"><title>2026-11-19 anonymous-pull: 4</title></rect>
        <rect x="225" y="120" width="58" height="24" fill="#d55e00"><title>2026-11-19 unauthorized: 2</title></rect>
        <rect x="285" y="168" width="58" height="24" fill="#f0e442"><title>2026-11-20 ip-not-allowed: 2</title></rect>
        <rect x="285" y="48" width="58" height="120" fill="#d55e00"><title>2026-11-20 unauthorized: 10</title></rect>
        <text x="74" y="208" text-anchor="middle">2026-11-16</text>
        <text x="194" y="208" text-anchor="middle">2026-11-18</text>
        <text x="314" y="208" text-anchor="middle">2026-11-20</text>
        </svg>
        <p class="legend"><span><span class="swatch" style="background: #0072b2"></span>access-denied</span> <span><span class="swatch" style="background: #000000"></span>anonymous-pull</span> <span><span class="swatch" style="background: #f0e442"></span>ip-not-allowed</span> <span><span class="swatch" style="background: #d55e00"></span>unauthorized</span></p>
        <h2>Failures per registry</h2>
        <svg xmlns="http://www.w3.org/2000/svg" width="780" height="68" viewBox="0 0 780 68" role="img" aria-label="Failures per registry">
        <text x="164" y="18" text-anchor="end">contosoprod</text>
        <rect x="170" y="7" width="550" height="14" fill="#0072b2"><title>contosoprod: 17</title></rect>
        <text x="724" y="18" text-anchor="start">17</text>
        <text x="164" y="38" text-anchor="end">(unknown)</text>
        <rect x="170" y="27" width="129" height="14" fill="#0072b2"><title>(unknown): 4</title></rect>
        <text x="303" y="38" text-anchor="start">4</text>
        <text x="164" y="58" text-anchor="end">fabrikam</text>
        <rect x="170" y="47" width="64" height="14" fill="#0072b2"><title>fabrikam: 2</title></rect>
        <text x="238" y="58" text-anchor="start">2</text>
        </svg>
        <h2>Registry by day</h2>
        <svg xmlns="http://www.w3.org/2000/svg" width="518" height="118" viewBox="0 0 518 118" role="img" aria-label="Failures per registry and day">
        <text x="164" y="17" text-anchor="end">contosoprod</text>
        <rect x="170" y="4" width="59" height="16" fill="#b2182b" fill-opacity="0.23"><title>contosoprod 2026-11-16: 1</title></rect>
        <rect x="230" y="4" width="59" height="16" fill="#eeeeee"><title>contosoprod 2026-11-17: 0</title></rect>
        <rect x="290" y="4" width="59" height="16" fill="#b2182b" fill-opacity="0.49"><title>contosoprod 2026-11-18: 4</title></rect>
        <rect x="350" y="4" width="59" height="16" fill="#b2182b" fill-opacity="0.32"><title>contosoprod 2026-11-19: 2</title></rect>
        <rect x="410" y="4" width="59" height="16" fill="#b2182b" fill-opacity="1"><title>contosoprod 2026-11-20: 10</title></rect>
        <text x="164" y="35" text-anchor="end">(unknown)</text>
        <rect x="170" y="22" width="59" height="16" fill="#eeeeee"><title>(unknown) 2026-11-16: 0</title></rect>
        <rect x="230" y="22" width="59" height="16" fill="#eeeeee"><title>(unknown) 2026-11-17: 0</title></rect>
        <rect x="290" y="22" width="59" height="16" fill="#eeeeee"><title>(unknown) 2026-11-18: 0</title></rect>
        <rect x="350" y="22" width="59" height="16" fill="#b2182b" fill-opacity="0.49"><title>(unknown) 2026-11-19: 4</title></rect>
        <rect x="410" y="22" width="59" height="16" fill="#eeeeee"><title>(unknown) 2026-11-20: 0</title></rect>
        <text x="164" y="53" text-anchor="end">fabrikam</text>
        <rect x="170" y="40" width="59" height="16" fill="#eeeeee"><title>fabrikam 2026-11-16: 0</title></rect>
        <rect x="230" y="40" width="59" height="16" fill="#eeeeee"><title>fabrikam 2026-11-17: 0</title></rect>
        <rect x="290" y="40" width="59" height="16" fill="#eeeeee"><title>fabrikam 2026-11-18: 0</title></rect>
        <rect x="350" y="40" width="59" height="16" fill="#eeeeee"><title>fabrikam 2026-11-19: 0</title></rect>
        <rect x="410" y="40" width="59" height="16" fill="#b2182b" fill-opacity="0.32"><title>fabrikam 2026-11-20: 2</title></rect>
        <text x="200" y="72" text-anchor="middle">2026-11-16</text>
        <text x="320" y="72" text-anchor="middle">2026-11-18</text>
        <text x="440" y="72" text-anchor="middle">2026-11-20</text>
        <text x="164" y="95" text-anchor="end">failures</text>
        <rect x="170" y="84" width="24" height="14" fill="#eeeeee"><title>0</title></rect>
        <text x="182" y="110" text-anchor="middle">0</text>
        <rect x="210" y="84" width="50" height="14" fill="#b2182b" fill-opacity="0.23"><title>1</title></rect>
        <text x="235" y="110" text-anchor="middle">1</text>
        <rect x="264" y="84" width="50" height="14" fill="#b2182b" fill-opacity="0.32"><title>2</title></rect>
        <text x="289" y="110" text-anchor="middle">2</text>
        <rect x="318" y="84" width="50" height="14" fill="#b2182b" fill-opacity="0.57"><title>5</title></rect>
        <text x="343" y="110" text-anchor="middle">5</text>
        <rect x="372" y="84" width="50" height="14" fill="#b2182b" fill-opacity="0.74"><title>7</title></rect>
        <text x="397" y="110" text-anchor="middle">7</text>
        <rect x="426" y="84" width="50" height="14" fill="#b2182b" fill-opacity="1"><title>10</title></rect>
        <text x="451" y="110" text-anchor="middle">10</text>
        </svg>
        <h2>Groups</h2>
        <table>
        <thead><tr><th>Registry</th><th>Type</th><th class="n">Count</th><th class="n">Attempts</th><th>First seen</th><th>Last seen</th><th class="n">Change</th><th>Trend</th></tr></thead>
        <tbody>
        <tr><td>contosoprod</td><td>unauthorized</td><td class="n">14</td><td class="n">14</td><td class="t">2026-11-16<wbr/>T08:00:00Z</td><td class="t">2026-11-20<wbr/>T03:20:00Z</td><td class="n">+8</td><td class="spark">▂▁▂▃█</td></tr>
        <tr><td class="muted">(unknown)</td><td>anonymous-pull</td><td class="n">4</td><td class="n">265</td><td class="t">2026-11-19<wbr/>T01:00:00Z</td><td class="t">2026-11-19<wbr/>T02:00:00Z</td><td class="n">new</td><td class="spark">▁▁▁█▁</td></tr>
        <tr><td>contosoprod</td><td>access-denied</td><td class="n">3</td><td class="n">5</td><td class="t">2026-11-18<wbr/>T12:00:00Z</td><td class="t">2026-11-18<wbr/>T13:00:00Z</td><td class="n">-2</td><td class="spark">▁▁█▁▁</td></tr>
        <tr><td>fabrikam</td><td>ip-not-allowed</td><td class="n">2</td><td class="n">2</td><td class="t">2026-11-20<wbr/>T09:00:00Z</td><td class="t">2026-11-20<wbr/>T09:05:00Z</td><td class="n">new</td><td class="spark">▁▁▁▁█</td></tr>
        </tbody>
        </table>
        <h2>Spikes</h2>
        <p>A spike is a day whose count is at least 5 above the 90th percentile of the 14 days before it (from 7 observed ones on), and at least 4 robust standard deviations above their median, the baseline (score = (count - baseline) / max(sqrt(baseline), 1.4826 x MAD, IQR / 1.349)).</p>
        <table>
        <thead><tr><th>Bucket</th><th>Registry</th><th>Type</th><th class="n">Count</th><th class="n">Baseline</th><th class="n">Score</th></tr></thead>
        <tbody>
        <tr><td>2026-11-20</td><td>contosoprod</td><td>unauthorized</td><td class="n">10</td><td class="n">0</td><td class="n">10.0</td></tr>
        </tbody>
        </table>
        <h2>New in this window</h2>
        <p>Registry and type pairs with no occurrence in the previous window:</p>
        <ul>
        <li>fabrikam ip-not-allowed</li>
        <li>(unknown) anonymous-pull</li>
        </ul>

        """#

    /// The timeline table.
    static let timelineTable = #"""
        acrscan timeline: 6 occurrences in 4 rows
        a row collapses a burst of one type, registry and host, each within 10 minutes of the previous one
        all times on 2026-11-20 (UTC)

        TIME (UTC)         COUNT  TYPE            REGISTRY     HOST    REPOSITORY  CLIENT IP  SOURCE
        03:14:15–03:20:02    3 ×  unauthorized    contosoprod  build1  -           -          ci/build.log:120
            Error response from daemon: Get "https://contosoprod.azurecr.io/v2/": unauthorized: authentication required
        03:15:00             1 ×  access-denied   contosoprod  build1  -           -          ci/build.log:130
            denied: requested access to the resource is denied
        03:40:02             1 ×  unauthorized    contosoprod  build1  -           -          ci/build.log:201
            unauthorized: authentication required
        03:41:00             1 ×  anonymous-pull  (unknown)    node-7  -           -          /var/log/kubelet.log:9
            failed to fetch anonymous token: unexpected status: 401 Unauthorized
        """#

    /// The timeline JSON.
    static let timelineJSON = #"""
        {"schema":"acrscan.timeline/v2","gap_seconds":600,"total":6,"omitted":0,"rows":[{"first":"2026-11-20T03:14:15Z","last":"2026-11-20T03:20:02Z","count":3,"attempts":3,"type":"unauthorized","registry":"contosoprod","host":"build1","source":"ci/build.log","line":120,"first_id":1,"repository":null,"client_ip":null,"excerpt":"Error response from daemon: Get \"https://contosoprod.azurecr.io/v2/\": unauthorized: authentication required","remediation":"{reference:unauthorized}"},{"first":"2026-11-20T03:15:00Z","last":"2026-11-20T03:15:00Z","count":1,"attempts":1,"type":"access-denied","registry":"contosoprod","host":"build1","source":"ci/build.log","line":130,"first_id":2,"repository":null,"client_ip":null,"excerpt":"denied: requested access to the resource is denied","remediation":"{reference:access-denied}"},{"first":"2026-11-20T03:40:02Z","last":"2026-11-20T03:40:02Z","count":1,"attempts":1,"type":"unauthorized","registry":"contosoprod","host":"build1","source":"ci/build.log","line":201,"first_id":5,"repository":null,"client_ip":null,"excerpt":"unauthorized: authentication required","remediation":"{reference:unauthorized}"},{"first":"2026-11-20T03:41:00Z","last":"2026-11-20T03:41:00Z","count":1,"attempts":3,"type":"anonymous-pull","registry":null,"host":"node-7","source":"/var/log/kubelet.log","line":9,"first_id":6,"repository":null,"client_ip":null,"excerpt":"failed to fetch anonymous token: unexpected status: 401 Unauthorized","remediation":"{reference:anonymous-pull}"}]}
        """#

    /// The timeline Markdown.
    static let timelineMarkdown = #"""
        # acrscan timeline

        6 occurrences in 4 rows; a row collapses a burst of one type, registry and host, each within 10 minutes of the previous one.

        | Time (UTC) | Count | Type | Registry | Host | Repository | Client IP | Source | Excerpt |
        |---|--:|---|---|---|---|---|---|---|
        | 2026-11-20 03:14:15–03:20:02 | 3 | unauthorized | contosoprod | build1 | - | - | ci/build.log:120 | Error response from daemon: Get "https://contosoprod.azurecr.io/v2/": unauthorized: authentication required |
        | 2026-11-20 03:15:00 | 1 | access-denied | contosoprod | build1 | - | - | ci/build.log:130 | denied: requested access to the resource is denied |
        | 2026-11-20 03:40:02 | 1 | unauthorized | contosoprod | build1 | - | - | ci/build.log:201 | unauthorized: authentication required |
        | 2026-11-20 03:41:00 | 1 | anonymous-pull | (unknown) | node-7 | - | - | /var/log/kubelet.log:9 | failed to fetch anonymous token: unexpected status: 401 Unauthorized |
        """#

    /// The timeline CSV, with LF for CRLF.
    static let timelineCSV = #"""
        first,last,count,attempts,type,registry,host,repository,client_ip,source,line,excerpt,remediation
        2026-11-20T03:14:15Z,2026-11-20T03:20:02Z,3,3,unauthorized,contosoprod,build1,,,ci/build.log,120,"Error response from daemon: Get ""https://contosoprod.azurecr.io/v2/"": unauthorized: authentication required",{reference:unauthorized}
        2026-11-20T03:15:00Z,2026-11-20T03:15:00Z,1,1,access-denied,contosoprod,build1,,,ci/build.log,130,denied: requested access to the resource is denied,{reference:access-denied}
        2026-11-20T03:40:02Z,2026-11-20T03:40:02Z,1,1,unauthorized,contosoprod,build1,,,ci/build.log,201,unauthorized: authentication required,{reference:unauthorized}
        2026-11-20T03:41:00Z,2026-11-20T03:41:00Z,1,3,anonymous-pull,,node-7,,,/var/log/kubelet.log,9,failed to fetch anonymous token: unexpected status: 401 Unauthorized,{reference:anonymous-pull}
        """#
}
