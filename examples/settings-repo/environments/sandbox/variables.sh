# Sourced by the deployment build before `make setup` (SPA workbook convention).
# The SPA version this environment runs: spa-cd reads this pin when deployment.yaml has no spa_version.
export CODE_GIT_BRANCH=22.12.17
export AWS_DEFAULT_REGION=eu-west-1
