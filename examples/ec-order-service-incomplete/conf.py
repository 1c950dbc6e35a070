# EC受注サービス 運用引継ぎパッケージ。設定値は handover.yaml にあり、拡張機能が読み込む。
extensions = ["sphinx_handover"]

# The site's language; it must match project.language in handover.yaml.
language = "ja"
