"""No secret is ever published: each kind, planted in a chapter, in handover.yaml or in
an evidence log, fails the build at its file:line and appears nowhere in the output."""

from __future__ import annotations

import pytest
from conftest import AS_OF

KEY_BLOCK = (
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx3kq9Vb2Yp0TzQfakeKeyBody7Qm\n-----END RSA PRIVATE KEY-----"
)

PLANTS = [
    # (where, text appended, secret that must vanish, kind in the message)
    ("chapters/04-ledgers.md", "\n管理者の初期パスワード：Xk9pLm2Qw7\n", "Xk9pLm2Qw7", "初期パスワード"),
    ("chapters/05-security.md", "\nPW：Hq83kdLs02\n", "Hq83kdLs02", "PW"),
    ("runbooks/incident-recovery.md", "\nAdmin password: Tr0ub4dor&3x\n", "Tr0ub4dor&3x", "password"),
    (
        "runbooks/batch-rerun.md",
        "\n```\npsql postgres://batch:S3cr3tPassw0rd@db.internal:5432/orders\n```\n",
        "S3cr3tPassw0rd",
        "Basic Auth",
    ),
    (
        "chapters/07-bcp-backup.md",
        f"\n```\n{KEY_BLOCK}\n```\n",
        "MIIEowIBAAKCAQEAx3kq9Vb2Yp0TzQfakeKeyBody7Qm",
        "Private Key",
    ),
    (
        "evidence/07-bcp/restore-test-2026-10-28.log",
        "\naws_access_key_id AKIAIOSFODNN7EXAMPLE\n",
        "AKIAIOSFODNN7EXAMPLE",
        "AWS Access Key",
    ),
]


def output_contains(folder, secret: str) -> list[str]:
    needle = secret.encode("utf-8")
    return [str(path) for path in folder.rglob("*") if path.is_file() and needle in path.read_bytes()]


@pytest.mark.parametrize(("where", "text", "secret", "kind"), PLANTS, ids=[p[3] for p in PLANTS])
def test_planted_secret_fails_at_its_line_and_is_never_published(
    cli, example_copy, tmp_path, where, text, secret, kind
):
    root = example_copy()
    path = root / where
    before = path.read_text("utf-8")
    path.write_text(before + text, "utf-8")
    line = before.count("\n") + 1 + text[: text.index(secret) if secret in text else 0].count("\n")
    if kind == "Private Key":
        line = before.count("\n") + 1 + text[: text.index("-----BEGIN")].count("\n")
    junit = tmp_path / "junit.xml"
    built = cli("build", root, "--as-of", AS_OF, "--junit", junit)
    checked = cli("check", root, "--as-of", AS_OF, "--json")
    assert built.code == checked.code == 1
    location = f"ec-order-service/{where}:{line}: ERROR: "
    hits = [l for l in built.err.splitlines() if l.startswith(location) and "[handover.secret]" in l]
    assert hits and kind in hits[0], (location, built.err)
    for result in (built, checked):
        assert secret not in result.out + result.err
    assert output_contains(root / "_build", secret) == []
    assert secret.encode() not in junit.read_bytes()


def test_secret_in_handover_yaml_is_redacted_from_the_rendered_tables(cli, example_copy):
    root = example_copy()
    path = root / "handover.yaml"
    original = path.read_text("utf-8")
    assert "who: 中村 由美（みなと商事 情報システム部）" in original
    text = original.replace("who: 中村 由美（みなと商事 情報システム部）", "who: 中村 由美 パスワード:Kq7Zp2Lm9x")
    path.write_text(text, "utf-8")
    result = cli("build", root, "--as-of", AS_OF)
    line = text[: text.index("パスワード:Kq7Zp2Lm9x")].count("\n") + 1
    assert f"ec-order-service/handover.yaml:{line}: ERROR: " in result.err and "[handover.secret]" in result.err
    assert output_contains(root / "_build", "Kq7Zp2Lm9x") == []
    assert "[REDACTED]" in (root / "_build/html/chapters/02-organization-raci.html").read_text("utf-8")


def test_vault_references_and_reviewed_false_positives_pass(cli, example_copy):
    root = example_copy()
    path = root / "chapters/04-ledgers.md"
    path.write_text(
        path.read_text("utf-8")
        + "\n| 管理者 | パスワード: vault: ec-order/db-admin |\n"
        + "\nテスト用の既知の値 password: example-not-secret <!-- pragma: allowlist secret -->\n",
        "utf-8",
    )
    result = cli("check", root, "--as-of", AS_OF)
    assert result.code == 0, result.err
