#!/usr/bin/env python3
"""Writes Tests/ScannerTests/RealWorld/seq9/lines.jsonl and judgement.json (round seq9: sequences).
Each paste is written from the producing tool's source (cited in `source`), not copied from a log."""
import json, sys, os
out = sys.argv[1]
R = "contosoacr"
pastes = []  # (group, producer, count, accept, source, note, [(line, category, registry, status)])
def P(group, producer, count, source, note, lines, accept=None):
    pastes.append((group, producer, count, accept, source, note, lines))
C = lambda l, reg=None: (l, "context", reg, None)

# ---- class 1: Python tracebacks whose ACR frames come before the exception line ----
PYSRC = ("derived from sources: CPython Lib/traceback.py (print_exception: 'Traceback (most recent call last):', "
         "'  File \"%s\", line %d, in %s', the exception line last); azure-core azure/core/exceptions.py "
         "(map_error, HttpResponseError.__init__: \"Operation returned an invalid status '%s'\" from the reason); "
         "azure-containerregistry azure/containerregistry/_container_registry_client.py (list_repository_names, get_next) "
         "and _exchange_client.py (ACRExchangeClient.get_acr_access_token) at https://github.com/Azure/azure-sdk-for-python")
site = "/opt/venv/lib/python3.11/site-packages"
P("s9-py-sdk-list401", "other", 1, PYSRC,
  "A cleanup script's log: it prints the endpoint, then the SDK's 401 surfaces as a traceback whose frames are the registry client's; the exception line names no registry.",
  [C("+ python3 scripts/prune_tags.py --endpoint https://contosoacr.azurecr.io --keep 10", R),
   C("INFO prune_tags: listing repositories of https://contosoacr.azurecr.io", R),
   C("Traceback (most recent call last):", R),
   C('  File "/home/runner/work/web/web/scripts/prune_tags.py", line 41, in <module>', R),
   C("    for name in client.list_repository_names():", R),
   C(f'  File "{site}/azure/core/paging.py", line 123, in __next__', R),
   C("    return next(self._page_iterator)", R),
   C(f'  File "{site}/azure/core/paging.py", line 75, in __next__', R),
   C("    self._response = self._get_next(self.continuation_token)", R),
   C(f'  File "{site}/azure/containerregistry/_container_registry_client.py", line 232, in get_next', R),
   C("    map_error(status_code=response.status_code, response=response, error_map=error_map)", R),
   C(f'  File "{site}/azure/core/exceptions.py", line 163, in map_error', R),
   C("    raise error", R),
   ("azure.core.exceptions.ClientAuthenticationError: Operation returned an invalid status 'Unauthorized'", "unauthorized", R, 401),
   C("Error: Process completed with exit code 1.", R)])
P("s9-py-sdk-exchange-aad", "other", 1, PYSRC,
  "The registry client's token exchange asks azure-identity for an Entra token and gets none: azure-identity's ClientAuthenticationError under the ACR exchange client's frames; the registry is on the command echoed before it.",
  [C("+ python3 -m deploy.sync_images --registry fabrikamregistry.azurecr.io", "fabrikamregistry"),
   C("Traceback (most recent call last):", "fabrikamregistry"),
   C('  File "/usr/lib/python3.10/runpy.py", line 196, in _run_module_as_main', "fabrikamregistry"),
   C('    return _run_code(code, main_globals, None,', "fabrikamregistry"),
   C('  File "/srv/deploy/sync_images.py", line 88, in <module>', "fabrikamregistry"),
   C("    props = client.get_repository_properties(repo)", "fabrikamregistry"),
   C('  File "/usr/local/lib/python3.10/dist-packages/azure/containerregistry/_exchange_client.py", line 69, in get_acr_access_token', "fabrikamregistry"),
   C("    refresh_token = self.get_refresh_token(service, **kwargs)", "fabrikamregistry"),
   C('  File "/usr/local/lib/python3.10/dist-packages/azure/identity/_credentials/default.py", line 225, in get_token', "fabrikamregistry"),
   C("    raise ClientAuthenticationError(message=message)", "fabrikamregistry"),
   ("azure.core.exceptions.ClientAuthenticationError: DefaultAzureCredential failed to retrieve a token from the included credentials.", "aad_credential", "fabrikamregistry", None),
   C("Attempted credentials:", "fabrikamregistry"),
   C("\tEnvironmentCredential: EnvironmentCredential authentication unavailable. Environment variables are not fully configured.", "fabrikamregistry"),
   C("\tManagedIdentityCredential: ManagedIdentityCredential authentication unavailable, no response from the IMDS endpoint.", "fabrikamregistry")],
  accept=["unauthorized"])
P("s9-py-keyvault401-neg", "other", 0, PYSRC.replace("azure-containerregistry", "azure-keyvault-secrets azure/keyvault/secrets/_client.py (get_secret); azure-containerregistry"),
  "Look-alike: an earlier step logged in to ACR, then another SDK (Key Vault) fails with the same azure-core 401 sentence; its frames name no registry client. No ACR occurrence.",
  [C("+ az acr login --name contosoacr"), C("Login Succeeded"),
   C("+ python3 scripts/read_secret.py"),
   C("Traceback (most recent call last):"),
   C('  File "/home/runner/work/web/web/scripts/read_secret.py", line 9, in <module>'),
   C('    secret = client.get_secret("db-password")'),
   C(f'  File "{site}/azure/keyvault/secrets/_client.py", line 72, in get_secret'),
   C("    bundle = self._client.get_secret("),
   C(f'  File "{site}/azure/core/exceptions.py", line 163, in map_error'),
   C("    raise error"),
   ("azure.core.exceptions.ClientAuthenticationError: Operation returned an invalid status 'Unauthorized'", "not_auth", None, 401)])

# ---- class 2: commands continued over lines ----
GHA = ("derived from sources: actions/runner src/Runner.Worker/Handlers/ScriptHandler.cs (PrintActionDetails: the "
       "step's script echoed line by line under '##[group]Run <first line>', then 'shell:'); azure-cli "
       "src/azure-cli/azure/cli/command_modules/acr/_docker_utils.py (_get_docker_command / get_login_credentials: "
       "'An error occurred: DOCKER_COMMAND_ERROR')")
t = "2026-11-20T03:14:"
P("s9-gha-login-continued", "github-actions", 1, GHA,
  "A self-hosted runner's container job without a Docker daemon: the step's script continues `az acr login` over two lines with `\\`; the failure names no registry.",
  [C(f"{t}15.1021453Z ##[group]Run az acr login \\", R),
   C(f"{t}15.1022017Z \x1b[36;1maz acr login \\\x1b[0m", R),
   C(f"{t}15.1022301Z \x1b[36;1m  --name contosoacr\x1b[0m", R),
   C(f"{t}15.1022866Z shell: /usr/bin/bash -e {{0}}", R),
   C(f"{t}15.1023110Z ##[endgroup]", R),
   (f"{t}17.5519820Z ERROR: 2026-11-20 03:14:17.551102 An error occurred: DOCKER_COMMAND_ERROR", "docker_command_error", R, None),
   C(f"{t}17.5521043Z Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?", R),
   C(f"{t}17.6620119Z ##[error]Process completed with exit code 1.", R)])
BASH = ("derived from sources: GNU bash (PS2 '> ' before each continued line of an interactive command); "
        "azure-cli src/azure-cli/azure/cli/command_modules/acr/_docker_utils.py (_get_aad_token, _get_credentials: "
        "'Unable to get AAD authorization tokens with message', 'Unable to get admin user credentials with message'); "
        "docker/cli cli/command/registry/login.go (the daemon's refusal)")
P("s9-bash-prompt-continued", "az-cli", 1, BASH,
  "An interactive terminal paste: the command continued with `\\`, bash's `> ` prompt before the continued line; nobody signed in to Azure: the CLI's two warnings and the username prompt (counted once as aad-credential, as round 8 counts `x8-udemy-acrlogin`).",
  [C("$ az acr login \\", R), C(">   --name contosoacr", R),
   ("Unable to get AAD authorization tokens with message: Please run 'az login' to setup account.", "aad_credential", R, None),
   ("Unable to get admin user credentials with message: Please run 'az login' to setup account.", "aad_credential", R, None),
   C("Username: ci-bot", R), C("Password: ", R),
   C("Login Succeeded", R)])
PWSH = ("derived from sources: PowerShell (the backtick line continuation and the '>> ' continuation prompt of "
        "PSReadLine); azure-cli src/azure-cli/azure/cli/command_modules/acr/repository.py (acr_repository_list, the "
        "registry's error relayed as 'ERROR: ...')")
P("s9-pwsh-backtick", "az-cli", 1, PWSH,
  "PowerShell: `az acr repository list` continued with backticks, PSReadLine's `>> ` before each continued line; the registry's refusal names no host.",
  [C("PS C:\\src\\web> az acr repository list `", R), C(">>   --name contosoacr `", R), C(">>   --output table", R),
   ("ERROR: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.", "unauthorized", R, 401)])
CMD = ("derived from sources: cmd.exe (`^` escapes the newline; 'More? ' prompt); azure-cli "
       "src/azure-cli/azure/cli/command_modules/acr/_docker_utils.py (_get_docker_command: docker not found)")
P("s9-cmd-caret", "az-cli", 1, CMD,
  "Windows cmd: `az acr login` continued with `^` (cmd prompts `More? ` for the rest); Docker is not installed (the CLI runs docker itself, through no shell: only its own DOCKER_COMMAND_ERROR, no cmd 'not recognized' line). As first written the paste also held cmd's `'docker' is not recognized ...` lines, which the CLI never prints (it starts docker without a shell): removed after the arrival score.",
  [C("C:\\src\\web>az acr login ^", R), C("More?  --name contosoacr", R),
   ("ERROR: An error occurred: DOCKER_COMMAND_ERROR", "docker_command_error", R, None),
   C("Please verify if Docker client is installed and running.", R)])
P("s9-push-dockerhub-continued-neg", "other", 0,
  "derived from sources: docker/cli cli/command/image/push.go (RunPush) and the distribution errors ('denied: requested access to the resource is denied')",
  "Look-alike: after a successful `az acr login`, a push continued over two lines goes to Docker Hub (`myteam/web`: no registry host); its `denied` is Docker Hub's.",
  [C("+ az acr login --name contosoacr"), C("Login Succeeded"),
   C("+ docker push \\"), C("    myteam/web:42"),
   C("The push refers to repository [docker.io/myteam/web]"),
   C("5f70bf18a086: Preparing"),
   ("denied: requested access to the resource is denied", "not_auth", None, None)])

# ---- class 3: split records ----
CRI = ("derived from sources: containerd internal/cri/io/logger.go (redirectLogs: a line longer than the 16 KiB "
       "buffer is written as '<RFC3339Nano> <stream> P <part>' records, the last as '... F <rest>'); "
       "containerd remotes/docker/authorizer.go (fetchToken: 'failed to fetch oauth token: unexpected status from "
       "GET request to %s: %s')")
pad = "x" * 16000
head = ('time="2026-11-20T03:14:15.123Z" level=error msg="sync failed" images="' + pad +
        '" error="failed to resolve reference \\"contosoacr.azurecr.io/web:42\\": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://contosoacr.azurecr.io/oauth2/token?scope=repository%3Aweb%3Apull&service=contosoacr.azurecr.io: 401 Unaut')
cut = 16384
P("s9-cri-partial-401", "containerd-cri", 1, CRI,
  "A container's log line longer than 16 KiB, as the CRI writes it: a `P` record of exactly 16384 bytes of text (a long image list first), then the `F` record with the rest; the 401 is cut between them (`401 Unaut` | `horized`).",
  [("2026-11-20T03:14:15.123456789Z stderr P " + head[:cut], "unauthorized", R, 401),
   C("2026-11-20T03:14:15.123456789Z stderr F " + head[cut:] + 'horized"', R)])
DJ = ("derived from sources: moby daemon/logger/copier.go (Copier.copySrc: a line longer than the 16 KiB buffer is "
      "sent in parts, only the last with its newline) and daemon/logger/jsonfilelog (one record per part: "
      "{\"log\":...,\"stream\":...,\"time\":...})")
line = ('Error response from daemon: ' + 'y' * 16300 + ' Get "https://contosoacr.azurecr.io/v2/": unauthorized: authentication required')
cut2 = 16384
def rec(s, nl):
    return json.dumps({"log": s + ("\n" if nl else ""), "stream": "stderr", "time": "2026-11-20T03:14:15.123456789Z"}, separators=(",", ":"))
P("s9-json-file-split", "docker-json-file", 1, DJ,
  "Docker's json-file records of one stderr line longer than 16 KiB: the first `log` without a trailing `\\n`, the rest in the next record; the host is in the first part, the refusal (`unauthorized: authentication required`) cut across the records.",
  [(rec(line[:cut2 - 20], False), "unauthorized", R, 401), C(rec(line[cut2 - 20:], True), R)])
P("s9-cri-two-streams-neg", "containerd-cri", 0, CRI,
  "Look-alike: a stdout `P` record (a long progress line) followed by a stderr `F` record: two different lines, not one; neither is a failure on its own.",
  [C("2026-11-20T03:14:15.100000000Z stdout P pulling contosoacr.azurecr.io/web:42 " + "." * 200 + " 401 Unaut"),
   ("2026-11-20T03:14:15.200000000Z stderr F horized retries left: 3", "not_auth", None, None)])

# ---- class 4: blocks whose header names the registry ----
P("s9-gha-group-login-docker", "github-actions", 1, GHA,
  "GitHub Actions: the `##[group]Run az acr login --name X` header and the echoed script, then the Docker client's failure four lines later (an older CLI prints only Docker's words).",
  [C(f"{t}20.0000001Z ##[group]Run az acr login --name contosoacr", R),
   C(f"{t}20.0000452Z \x1b[36;1maz acr login --name contosoacr\x1b[0m", R),
   C(f"{t}20.0000719Z shell: /usr/bin/bash -e {{0}}", R),
   C(f"{t}20.0000935Z ##[endgroup]", R),
   (f"{t}21.7740120Z Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?", "docker_command_error", R, None),
   C(f"{t}21.8901233Z ##[error]Process completed with exit code 1.", R)])
JEN = ("derived from sources: Jenkins workflow-durable-task-step (sh steps echo '+ command' with set -x); docker/cli "
       "cli/command/image/push.go; distribution registry/api/errcode (unauthorized: authentication required)")
P("s9-jenkins-push", "jenkins", 1, JEN,
  "Jenkins: `+ docker push` echo with the ACR reference, the push's layers, then the registry's refusal with no host.",
  [C("[Pipeline] sh", R), C("+ docker push contosoacr.azurecr.io/web:42", R),
   C("The push refers to repository [contosoacr.azurecr.io/web]", R),
   C("a1b2c3d4e5f6: Preparing", R), C("5f70bf18a086: Preparing", R),
   ("unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.", "unauthorized", R, 401),
   C("[Pipeline] }", R), C("ERROR: script returned exit code 1", R)])

rows = []
judg = {"_what": "Per-event judgement (round seq9: whole sequences; same semantics as round8): count = how many occurrences the paste holds; accept = other types the text supports."}
for group, producer, count, accept, source, note, lines in pastes:
    j = {"count": count}
    if accept: j["accept"] = accept
    judg[group] = j
    for (l, cat, reg, status) in lines:
        rows.append({"line": l, "group": group, "producer": producer, "category": cat, "registry": reg,
                     "status": status, "source": source, "note": note})
with open(os.path.join(out, "lines.jsonl"), "w") as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + "\n")
with open(os.path.join(out, "judgement.json"), "w") as f:
    json.dump(judg, f, indent=1); f.write("\n")
print(len(rows), "lines", len(pastes), "pastes")
