"""SQL of /ai-ethics (AET audits)."""

from api.sql import newest_first
from indexer.projections.ai_ethics import ai_audits

# Newest first; $3 recipient, $4 auditor, $5 model id (each optional).
AUDITS = newest_first(
    ai_audits,
    "($3::bytea IS NULL OR r.recipient = $3) AND ($4::bytea IS NULL OR r.auditor = $4)"
    " AND ($5::bytea IS NULL OR r.model_id = $5)",
    3,
)
