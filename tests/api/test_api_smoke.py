def test_smoke(api, world):
    r = api.get(f"/api/v1/esg/unified-profile/{world.who.alice.address}")
    print(r.status_code, r.text[:3000])
    for p in ["/api/v1/tokens", "/api/v1/chains", "/health", "/api/v1/carbon/batches",
              "/api/v1/carbon/retirements", "/api/v1/governance/proposals",
              "/api/v1/ai-ethics/audits", f"/api/v1/accounts/{world.who.alice.address}/transfers",
              f"/api/v1/scores/{world.who.alice.address}/history",
              f"/api/v1/metrics/{world.who.alice.address}", "/api/v1/tokens/GST/holders"]:
        r = api.get(p)
        print(p, r.status_code, r.text[:600])
