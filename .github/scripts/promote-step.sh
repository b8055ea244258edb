#!/bin/sh
# One step of `npm run promote -- <env>` from the Release workflow (inputs in STEP and REPLICAS). The workflow
# has no cluster access: `prepare` takes the live colour's pod count from the input, `switch` is confirmed by
# the approval of the promotion environment (the approver checked the idle colour's ready pods and the smoke test).
set -eu
env="$1"
case "${STEP:-}" in
  prepare)
    if [ -z "${REPLICAS:-}" ]; then echo "::error::step prepare needs the input replicas (pods the live colour runs now)"; exit 2; fi
    npm run promote -- "$env" --prepare --no-cluster --replicas "$REPLICAS" ;;
  switch) npm run promote -- "$env" --confirm-ready --no-cluster ;;
  finish) npm run promote -- "$env" --finish ;;
  *) echo "::error::input step must be prepare, switch or finish"; exit 2 ;;
esac
