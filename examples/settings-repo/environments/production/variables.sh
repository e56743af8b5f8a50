# Sourced by the deployment build before `make setup` (SPA workbook convention).
# The SPA version is pinned in deployment.yaml (spa_version).
export AWS_DEFAULT_REGION=eu-west-1
