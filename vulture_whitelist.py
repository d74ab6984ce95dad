"""Names vulture reports as unused that are used: read by Django, a library or pytest by name.

`make deadcode` passes this file to vulture beside the code; a name written here counts as used
wherever it is defined. Nothing imports or runs this module. Add a name only with the reason in
its group; a helper nothing calls is deleted instead.
"""

from typing import Any

_: Any = None

# Migrations: Django reads `dependencies` and `operations`; RunPython passes `schema_editor`.
_.dependencies
_.operations
_.schema_editor

# Settings: Django and its apps read each module-level setting by name.
_.ALLOWED_HOSTS
_.AUTH_PASSWORD_VALIDATORS
_.CACHES
_.CSRF_COOKIE_SECURE
_.CSRF_TRUSTED_ORIGINS
_.DATABASES
_.DATABASE_ROUTERS
_.DEFAULT_AUTO_FIELD
_.FILE_UPLOAD_MAX_MEMORY_SIZE
_.INSTALLED_APPS
_.LANGUAGES
_.LOCALE_PATHS
_.LOGGING
_.LOGIN_REDIRECT_URL
_.LOGIN_URL
_.LOGOUT_REDIRECT_URL
_.MEDIA_URL
_.OTP_ADMIN_HIDE_SENSITIVE_DATA
_.OTP_STATIC_THROTTLE_FACTOR
_.OTP_TOTP_ISSUER
_.ROOT_URLCONF
_.SECURE_CONTENT_TYPE_NOSNIFF
_.SECURE_HSTS_INCLUDE_SUBDOMAINS
_.SECURE_HSTS_PRELOAD
_.SECURE_HSTS_SECONDS
_.SECURE_PROXY_SSL_HEADER
_.SECURE_REDIRECT_EXEMPT
_.SECURE_REFERRER_POLICY
_.SECURE_SSL_REDIRECT
_.SESSION_COOKIE_AGE
_.SESSION_COOKIE_HTTPONLY
_.SESSION_COOKIE_SAMESITE
_.SESSION_COOKIE_SECURE
_.STATICFILES_DIRS
_.STATIC_URL
_.STORAGES
_.TASKS
_.TEMPLATES
_.TIME_ZONE
_.USE_I18N
_.USE_TZ
_.WHITENOISE_USE_FINDERS
_.WSGI_APPLICATION
_.X_FRAME_OPTIONS
_.EMAIL_PORT
_.EMAIL_HOST_USER
_.EMAIL_HOST_PASSWORD
_.EMAIL_USE_TLS
_.DEFAULT_FROM_EMAIL

# App configs: found by Django through INSTALLED_APPS; `ready` runs at start-up; the admin site's
# `has_permission` is replaced there.
_.AccountsConfig
_.ApiConfig
_.AuditConfig
_.BudgetConfig
_.BenchmarksConfig
_.CommunityConfig
_.DemoConfig
_.LibConfig
_.OpsConfig
_.PlanConfig
_.ReportsConfig
_.ResultsConfig
_.SiteConfig
_.SurveysConfig
_.MonitoringConfig
_.ready
_.has_permission

# Database router (settings.DATABASE_ROUTERS): Django asks it by these method names.
_.allow_relation

# Middleware: named by dotted path in settings.MIDDLEWARE.
_.ContentSecurityPolicyMiddleware
_.RefusedAccessMiddleware

# Admin: classes registered with @admin.register, options and permission hooks read by the admin.
_.ActivityAdmin
_.ActivityGroupAdmin
_.ApiKeyAdmin
_.AuditEntryAdmin
_.AuditHeadAdmin
_.DailyTallyAdmin
_.DemoMarkerAdmin
_.EvidenceAdmin
_.FollowUpAdmin
_.GoalAdmin
_.GroupAdmin
_.GroupKindAdmin
_.ImportBatchAdmin
_.IndicatorAdmin
_.LoginBlockAdmin
_.LoginFailureAdmin
_.ManualValueAdmin
_.MembershipAdmin
_.ObjectiveAdmin
_.OrgUnitAdmin
_.PendingChangeAdmin
_.PlanAdmin
_.RateBucketAdmin
_.ReceiptCodeAdmin
_.ResultAdmin
_.ResultChangeAdmin
_.ServiceAdmin
_.ServiceVolumeAdmin
_.TargetAdmin
_.TwoFactorExemptionAdmin
_.YearApprovalAdmin
_.YearLockAdmin
_.IssuedDocumentAdmin
_.SignatoryAdmin
_.SigningDateAdmin
_.autocomplete_fields
_.date_hierarchy
_.inlines
_.list_display
_.list_filter
_.list_select_related
_.raw_id_fields
_.readonly_fields
_.search_fields
_.has_add_permission
_.has_change_permission
_.has_delete_permission
# The admin site's login view, replaced by a redirect that must accept the same arguments.
_.extra_context

# Models: Meta options read by Django; fields and choices read through the ORM, templates,
# exports and the database (never as Python attributes); django-simple-history's per-save hooks.
_.Meta
_.abstract
_.constraints
_.default_manager_name
_.ordering
_.proxy
_.verbose_name_plural
_.changed_at
_.contact
_.decided_at
_.decree_date
_.decree_number
_.detected_at
_.finished_at
_.import_key
_.locked_at
_.period_kind
_.updated_at
_.uploaded_at
_.uploaded_by
_.used_at
_.replaced_at
_.u2
_.u5
_.u6
_.u7
_.u8
_.u9
_.t3
_.t4
_.t5
_.t6
_.t7
_.t8
_.t9
_.GOAL
_.INDEX
_.IN_PROGRESS
_.LOWER
_._change_reason
_._history_user

# Forms: Meta options, field attributes and clean_<field> / validate_unique hooks Django calls;
# fields read from cleaned_data or the POST (`website` is the bots' honeypot).
_.allow_multiple_selected
_.empty_label
_.default_error_messages
_.help_texts
_.queryset
_.widgets
_.clean_evidence
_.clean_file
_.clean_submitted_at
_.clean_username
_.clean_value
_.clean_yearly_users
_.label_from_instance
_.validate_unique
_.date_from
_.date_to
_.submitted_on
_.use
_.website
_.field_order

# Management commands: Django finds `Command` by module name and calls `add_arguments`; the
# noun commands dispatch their verbs to handle_<verb> by getattr (kinerja/lib/commands.py);
# argparse reads a parser's `formatter_class` when it prints help.
_.Command
_.add_arguments
_.requires_system_checks
_.formatter_class
_.handle_anchor
_.handle_check
_.handle_clean_imports
_.handle_crash
_.handle_create
_.handle_diff
_.handle_export
_.handle_generate
_.handle_history
_.handle_ikm
_.handle_iku
_.handle_import
_.handle_load
_.handle_notify
_.handle_pk
_.handle_published
_.handle_published_decision
_.handle_rebuild_rollup
_.handle_recompute
_.handle_reset_two_factor
_.handle_restore
_.handle_run
_.handle_sample_size
_.handle_series
_.handle_verify
_.handle_write
_.handle_signatory
_.handle_signed
_.handle_signing

# URL configurations: `app_name` is the namespace Django reads.
_.app_name

# Templates: template tags and filters registered by decorator, properties and attributes only
# templates read.
_.reported  # a kelurahan's quarterly report is in (monitoring/not_reported.html)
_.longdate
_.published_marker
_.card_figures
_.result_achievement
_.result_cells
_.result_status
_.result_value
_.based_on
_.finished
_.out_of_reach
_.period_label
_.score_fields
_.score_rows
_.target_is_range
_.explanation_html
_.all_answers
_.services_total
_.year_start
_.year_to_date_respondents

# Signal receivers and system checks: Django calls them with these keyword arguments.
_.app_configs
_.kw

# Named by dotted path in a table (audit tracking, demo loaders), imported by string.
_.evidence_unit_path
_.load_users

# Library hooks: PyYAML's Dumper.ignore_aliases, copy.deepcopy's __deepcopy__, a Protocol's
# __add__, decimal contexts' precision and exponent limits, python-docx's section margins and
# orientation, run and paragraph formatting.
_.ignore_aliases
_.__deepcopy__
_.__add__
_.prec
_.Emax
_.Emin
_.orientation
_.left_margin
_.right_margin
_.top_margin
_.bottom_margin
_.alignment
_.bold
_.underline
# python-docx's paragraph spacing, font colour and table autofit; openpyxl's print set-up
# (frozen panes, print titles, paper, fit to page, grid lines), written for the file's reader.
_.space_after
_.space_before
_.keep_with_next
_.page_break_before
_.italic
_.rgb
_.autofit
_.freeze_panes
_.print_title_rows
_.paperSize
_.fitToWidth
_.fitToHeight
_.pageSetUpPr
_.gridLines

# Benchmark results: written into the JSON report (dataclasses.asdict), read by people.
_.broken_connections
_.unacknowledged_stored

# Tests: pytest reads `pytestmark` and fixtures by name; tests set settings and attributes Django
# reads; the root conftest.py (outside the scanned packages) calls forget_page_counts and builds
# the browser tests' axe-core check (AxeCheck.watch); http.server calls a handler's log_message.
_.pytestmark
_.django_db_setup
_.keep_test_connection
_.transactional_db
_.is_staff
_._stream
_.forget_page_counts
_.AxeCheck
_.watch
_.log_message
_.one_minute
_.public_site
_.shared_device
_.help_text  # a form field's help text, read by templates
_.QueueBackend  # a task backend a test names by its dotted path in settings.TASKS

# Issued documents (kinerja/reports): the verification mark's QR code and short address, and the
# date of issue, read by templates only.
_.qr_svg_uri
_.short_url
_.issued_at
_.meaning  # an import column's meaning, read by lib/_import_columns.html
_.expires_at  # a kept upload's expiry, a model field filtered by name (expires_at__gt)
_.has_children  # a budget line's node in the tree: whether lines hang under it (template)
# A prefetch's cache as Django's related managers read it (plan/targets.py fills it).
_._prefetched_objects_cache
_._prefetch_done
_._result_cache
_.adding  # a model's _state.adding: read by Django's save() (db/responses.py sets it after its INSERT)

# html.parser.HTMLParser calls its handlers by name (kinerja/site/tests/test_landmarks.py).
_.handle_starttag
_.handle_endtag
_.handle_data
