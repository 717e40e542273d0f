// What scripts/catalogs/stripe.mjs adds to stripe-mock's example objects
// (github.com/stripe/openapi openapi/fixtures3.json) so that each event's
// `data.object` says what the event says: a `charge.failed` carries a failed
// charge, an `invoice.paid` a paid invoice. The fixtures are one example per
// resource, "maximal" (every optional part filled, some with placeholders
// such as `type: "type"` or random numbers); the resource patches below put
// back what a delivery usually holds (nulls where nothing is set, amounts
// that add up, Stripe's docs' example customer Jenny Rosen). Every value is
// checked by the generator against the stripe package's types; what is
// approximate is said where it is. A time in a patch is a marker: the
// generator sets every time around its example moment (a positive number:
// by the field's name, later for ends and expiries, earlier otherwise; -N:
// N days before).

/** The example customer, card, payment and invoice the objects point at (ids of the fixtures). */
const CUSTOMER = 'cus_QXg1o8vcGmoR32';
const PAYMENT_METHOD = 'pm_1Pgc75B7WZ01zgkWlHVgdEGJ';
const PAYMENT_INTENT = 'pi_1PgafyB7WZ01zgkWSjxsAJo3';
const CHARGE = 'ch_1PgafuB7WZ01zgkWXYmPNZs8';
const INVOICE = 'in_1Pgc6tB7WZ01zgkWu9fdqL6I';
const SUBSCRIPTION = 'sub_1Pgc6rB7WZ01zgkWNy0Cn5nw';
const EMAIL = 'jenny.rosen@example.com';
const NAME = 'Jenny Rosen';
const AMOUNT = 2000;

/** A placeholder id of the fixtures (`obj_123`): the prefix of the object it names. */
export const ID_PREFIXES = {
  account: 'acct',
  application: 'ca',
  customer: 'cus',
  discount: 'di',
  file: 'file',
  plan: 'price',
  source: 'src',
  'billing.alert': 'alrt',
  'billing.credit_grant': 'credgr',
  'billing.credit_balance_transaction': 'cbtxn',
  'billing.meter': 'mtr',
  'entitlements.feature': 'feat',
  'entitlements.active_entitlement': 'ent',
  invoice_payment: 'inpay',
  payment_method_configuration_details: 'pmc',
  'reserve.hold': 'reshold',
  'reserve.plan': 'resplan',
  'reserve.release': 'resrel',
  'treasury.transaction': 'trxn',
  transaction_refresh: 'fctxnref',
  // Stripe publishes no example id of these: stripe-mock's own `obj_` stays.
  'financial_connections.authorization': 'obj',
  'apps.install': 'obj',
  'three_d_secure.authentication': 'obj',
};

/** Numbers where stripe-mock put a random one: the value a delivery usually holds. */
export const NUMBERS = {
  amount: AMOUNT,
  amount_subtotal: AMOUNT,
  amount_total: AMOUNT,
  amount_requested: AMOUNT,
  subtotal: AMOUNT,
  net_amount: AMOUNT,
  post_payment_amount: AMOUNT,
  amount_tax: 0,
  amount_discount: 0,
  amount_overpaid: 0,
  amount_refunded: 0,
  pre_payment_amount: 0,
  divide_by: 1,
  interval_count: 1,
  day_of_month: 1,
  payment_count: 1,
  percent: 10,
  width: 10,
  height: 10,
  length: 10,
  weight: 10,
  limit: 100,
  minutes: 30,
  delay_days: 2,
  value: 1000,
  inbound_pending: 0,
  outbound_pending: 0,
};

const email = { email: EMAIL, name: NAME };
const noAddress = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };
const address = { city: 'San Francisco', country: 'US', line1: '510 Townsend St', line2: null, postal_code: '94103', state: 'CA' };

/** Per resource (its `object`): what most deliveries of it hold, on top of the fixture. */
export const RESOURCE_PATCHES = {
  customer: { ...email, address: null, currency: null, discount: null, phone: null, shipping: null, description: null, preferred_locales: [] },
  charge: {
    amount: AMOUNT,
    amount_captured: AMOUNT,
    captured: true,
    paid: true,
    customer: CUSTOMER,
    payment_intent: PAYMENT_INTENT,
    payment_method: PAYMENT_METHOD,
    billing_details: { address: noAddress, email: EMAIL, name: NAME, phone: null },
    description: null,
    receipt_email: EMAIL,
    receipt_url: 'https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF8xUGdhZlRCN1daMDF6Z2tXKI_ei7UGMgZv2S_KfiY6LCJrxC7awazgQA9I88krZKw5uuCkZ5Nup2tomEtAbSpdfzjVZHO3ZYP5KFZP',
    outcome: { advice_code: null, network_advice_code: null, network_decline_code: null, network_status: 'approved_by_network', reason: null, risk_level: 'normal', risk_score: 32, seller_message: 'Payment complete.', type: 'authorized' },
    payment_method_details: { card: { amount_authorized: AMOUNT, installments: null, wallet: null, overcapture: { maximum_amount_capturable: AMOUNT, status: 'unavailable' } } },
    refunds: undefined,
    shipping: null,
    source: null,
    transfer_data: null,
  },
  payment_intent: {
    amount: AMOUNT,
    canceled_at: null,
    customer: CUSTOMER,
    last_payment_error: null,
    next_action: null,
    processing: null,
    receipt_email: EMAIL,
    shipping: null,
    transfer_data: null,
    managed_payments: undefined,
  },
  setup_intent: { customer: CUSTOMER, last_setup_error: null, next_action: null },
  payment_method: { customer: CUSTOMER, billing_details: { address: noAddress, email: EMAIL, name: NAME, phone: null }, metadata: {}, card: { generated_from: null } },
  invoice: {
    customer_email: EMAIL,
    customer_name: NAME,
    customer_address: null,
    due_date: null,
    from_invoice: null,
    last_finalization_error: null,
    next_payment_attempt: null,
    shipping_cost: null,
    webhooks_delivered_at: null,
    parent: { quote_details: null, subscription_details: { metadata: {}, subscription: SUBSCRIPTION }, type: 'subscription_details' },
    billing_reason: 'subscription_cycle',
  },
  subscription: {
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    ended_at: null,
    pause_collection: null,
    pending_update: null,
    pending_invoice_item_interval: null,
    billing_cycle_anchor_config: null,
    billing_thresholds: null,
    next_pending_invoice_item_invoice: null,
    transfer_data: null,
    trial_end: null,
    trial_start: null,
    latest_invoice: INVOICE,
    default_payment_method: PAYMENT_METHOD,
    billing_schedules: undefined,
    managed_payments: undefined,
  },
  'checkout.session': {
    amount_subtotal: AMOUNT,
    amount_total: AMOUNT,
    after_expiration: null,
    consent: null,
    consent_collection: null,
    currency_conversion: null,
    customer: CUSTOMER,
    customer_details: { address: address, email: EMAIL, name: NAME, phone: null, tax_exempt: 'none', tax_ids: [] },
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    collected_information: null,
    billing_schedules: undefined,
    shipping_address_collection: null,
    shipping_cost: null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    managed_payments: undefined,
  },
  payout: { trace_id: { status: 'pending', value: null } },
  product: { package_dimensions: null },
  price: { transform_quantity: null, custom_unit_amount: null },
  plan: { transform_usage: null },
  coupon: { redeem_by: null, duration: 'once', duration_in_months: null },
  discount: { end: null },
  card: { customer: CUSTOMER },
  review: { reason: 'rule' },
  mandate: { payment_method: PAYMENT_METHOD },
  invoiceitem: { quantity_decimal: '1', parent: null },
  payment_link: { restrictions: null, custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null } },
  balance_settings: { payments: { settlement_timing: { delay_days: 2, start_of_day: { hour: 0, minutes: 0, timezone: 'America/Los_Angeles' } } } },
  'financial_connections.account': { balance: { current: { undefined, usd: 6000 } } },
  line_item: {
    subtotal: 1000,
    parent: {
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: SUBSCRIPTION, subscription_item: 'si_QXhVBoJ7NQdNXh' },
    },
  },
  invoice_payment: {
    amount_paid: 1000,
    amount_requested: 1000,
    currency: 'usd',
    invoice: INVOICE,
    payment: { type: 'payment_intent', payment_intent: PAYMENT_INTENT },
    status: 'paid',
  },
  'billing.credit_balance_transaction': {
    credit: { amount: { monetary: { currency: 'usd', value: 1000 }, type: 'monetary' }, credits_application_invoice_voided: null, type: 'credits_granted' },
    credit_grant: 'credgr_123',
    debit: null,
    type: 'credit',
  },
  'billing.credit_grant': { amount: { monetary: { currency: 'usd', value: 1000 }, type: 'monetary' }, customer: CUSTOMER },
  'billing.alert_triggered': { customer: CUSTOMER, value: 1000 },
  'billing.alert': { title: 'API usage over 1,000 requests' },
  'billing.meter': { display_name: 'API requests', event_name: 'api_requests', customer_mapping: { event_payload_key: 'stripe_customer_id', type: 'by_id' }, value_settings: { event_payload_key: 'value' } },
  'entitlements.active_entitlement_summary': { customer: CUSTOMER, entitlements: { url: '/v1/entitlements/active_entitlements' } },
  'financial_connections.authorization': { institution_name: 'StripeBank' },
  'billing_portal.session': { flow: null },
  quote: { from_quote: null },
  credit_note: { refunds: [] },
  tax_rate: { flat_amount: null },
  dispute: { evidence_details: { submission_method: 'not_submitted' } },
  'issuing.card': { shipping: null },
  'apps.install': {
    id: 'obj_123',
    account: 'acct_1PgafTB7WZ01zgkW',
    app: 'com.example.app',
    approval_required: false,
    auth_code: null,
    channel: 'public',
    created_by: null,
    status: 'installed',
  },
  'three_d_secure.authentication': {
    id: 'obj_123',
    amount: AMOUNT,
    currency: 'usd',
    channel: { type: 'browser' },
    directory_server: 'visa',
    message_category: 'payment',
    metadata: {},
    payment_method: PAYMENT_METHOD,
  },
};

/** Per event type: the object's state (`object`) and, for `*.updated`, the values before (`previous`, or a function of the object). */
export const EVENT_PATCHES = {
  'customer.updated': { object: { email: 'jenny.rosen@example.org' }, previous: { email: EMAIL } },
  'charge.pending': { object: { status: 'pending', paid: false } },
  'charge.failed': {
    object: {
      status: 'failed',
      paid: false,
      captured: false,
      amount_captured: 0,
      balance_transaction: null,
      failure_code: 'card_declined',
      failure_message: 'Your card was declined.',
      outcome: { network_status: 'declined_by_network', reason: 'generic_decline', risk_level: 'normal', risk_score: 32, seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' },
    },
  },
  'charge.expired': { object: { captured: false, amount_captured: 0, refunded: true, amount_refunded: AMOUNT } },
  'charge.refunded': { object: { refunded: true, amount_refunded: AMOUNT } },
  'charge.updated': { object: { description: 'Order 6735' }, previous: { description: null } },
  'charge.dispute.created': { object: { status: 'needs_response' } },
  'charge.dispute.updated': { object: { status: 'under_review' }, previous: { status: 'needs_response' } },
  'charge.dispute.closed': { object: { status: 'won' } },
  'charge.dispute.funds_withdrawn': { object: { status: 'needs_response' } },
  'charge.dispute.funds_reinstated': { object: { status: 'won' } },
  'charge.refund.updated': { object: { status: 'succeeded' }, previous: { status: 'pending' } },
  'refund.created': { object: { status: 'pending' } },
  'refund.updated': { object: { status: 'succeeded' }, previous: { status: 'pending' } },
  'refund.failed': { object: { status: 'failed', failure_reason: 'expired_or_canceled_card' } },
  'payment_intent.created': { object: { status: 'requires_payment_method', payment_method: null } },
  'payment_intent.succeeded': { object: { status: 'succeeded', amount_received: AMOUNT, latest_charge: CHARGE, payment_method: PAYMENT_METHOD } },
  'payment_intent.processing': { object: { status: 'processing', payment_method: PAYMENT_METHOD, processing: { type: 'card' } } },
  'payment_intent.canceled': { object: { status: 'canceled', canceled_at: 1, cancellation_reason: 'requested_by_customer' } },
  'payment_intent.amount_capturable_updated': { object: { status: 'requires_capture', capture_method: 'manual', amount_capturable: AMOUNT, latest_charge: CHARGE, payment_method: PAYMENT_METHOD } },
  'payment_intent.requires_action': {
    object: { status: 'requires_action', payment_method: PAYMENT_METHOD, next_action: { type: 'redirect_to_url', redirect_to_url: { return_url: 'https://example.com/checkout/complete', url: 'https://hooks.stripe.com/3d_secure_2/hosted' } } },
  },
  'payment_intent.payment_failed': {
    object: {
      status: 'requires_payment_method',
      latest_charge: CHARGE,
      last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.', charge: CHARGE, doc_url: 'https://stripe.com/docs/error-codes/card-declined' },
    },
  },
  'payment_intent.partially_funded': { object: { status: 'requires_payment_method', amount_received: AMOUNT / 2 } },
  'setup_intent.succeeded': { object: { status: 'succeeded', payment_method: PAYMENT_METHOD } },
  'setup_intent.canceled': { object: { status: 'canceled', cancellation_reason: 'requested_by_customer' } },
  'setup_intent.requires_action': { object: { status: 'requires_action', payment_method: PAYMENT_METHOD, next_action: { type: 'redirect_to_url', redirect_to_url: { return_url: 'https://example.com/setup/complete', url: 'https://hooks.stripe.com/3d_secure_2/hosted' } } } },
  'setup_intent.setup_failed': {
    object: { status: 'requires_payment_method', last_setup_error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.', doc_url: 'https://stripe.com/docs/error-codes/card-declined' } },
  },
  'payment_method.detached': { object: { customer: null } },
  'checkout.session.completed': { object: { status: 'complete', payment_status: 'paid', url: null } },
  'checkout.session.async_payment_succeeded': { object: { status: 'complete', payment_status: 'paid', url: null } },
  'checkout.session.async_payment_failed': { object: { status: 'complete', payment_status: 'unpaid', url: null } },
  'checkout.session.expired': { object: { status: 'expired', payment_status: 'unpaid', url: null } },
  'invoice.created': { object: { status: 'draft' } },
  'invoice.finalized': { object: { status: 'open' } },
  'invoice.sent': { object: { status: 'open' } },
  'invoice.paid': { object: { status: 'paid', amount_paid: 1000, amount_remaining: 0, attempted: true, attempt_count: 1, status_transitions: { paid_at: 1 } } },
  'invoice.payment_succeeded': { object: { status: 'paid', amount_paid: 1000, amount_remaining: 0, attempted: true, attempt_count: 1, status_transitions: { paid_at: 1 } } },
  'invoice.overpaid': { object: { status: 'paid', amount_paid: 1500, amount_remaining: 0, amount_overpaid: 500, attempted: true, attempt_count: 1 } },
  'invoice.payment_failed': { object: { status: 'open', attempted: true, attempt_count: 1, next_payment_attempt: 1 } },
  'invoice.payment_action_required': { object: { status: 'open', attempted: true, attempt_count: 1 } },
  'invoice.payment_attempt_required': { object: { status: 'open' } },
  'invoice.overdue': { object: { status: 'open', collection_method: 'send_invoice', due_date: -1 } },
  'invoice.will_be_due': { object: { status: 'open', collection_method: 'send_invoice', due_date: 1 } },
  'invoice.updated': { object: { description: 'Thanks for your business!' }, previous: { description: null } },
  'invoice.finalization_failed': { object: { status: 'draft', last_finalization_error: { type: 'invalid_request_error', code: 'customer_tax_location_invalid', message: "The customer's location isn't recognized." } } },
  'customer.subscription.created': { object: { status: 'active' } },
  'customer.subscription.updated': { object: { cancel_at_period_end: true, cancel_at: 1 }, previous: { cancel_at_period_end: false, cancel_at: null } },
  'customer.subscription.deleted': { object: { status: 'canceled', canceled_at: 1, ended_at: 1, cancellation_details: { comment: null, feedback: null, reason: 'cancellation_requested' } } },
  'customer.subscription.paused': { object: { status: 'paused' } },
  'customer.subscription.resumed': { object: { status: 'active' } },
  'customer.subscription.trial_will_end': { object: { status: 'trialing', trial_start: 1, trial_end: 1 } },
  'payout.created': { object: { status: 'pending' } },
  'payout.updated': { object: { description: 'STRIPE PAYOUT 6735' }, previous: { description: 'STRIPE PAYOUT' } },
  'payout.failed': { object: { status: 'failed', failure_code: 'account_closed', failure_message: 'The bank account has been closed.' } },
  'payout.reconciliation_completed': { object: { status: 'paid', reconciliation_status: 'completed' } },
  'three_d_secure.authentication.challenge_started': { object: { status: 'requires_challenge' } },
  'review.opened': { object: { open: true, closed_reason: null } },
  'review.closed': { object: { open: false, closed_reason: 'approved' } },
  'transfer.reversed': { object: { reversed: true, amount_reversed: 1100 } },
  'topup.reversed': { object: { status: 'reversed' } },
  'quote.accepted': { object: { status: 'accepted' } },
  'quote.canceled': { object: { status: 'canceled' } },
  'quote.finalized': { object: { status: 'open' } },
  'quote.created': { object: { status: 'draft' } },
  'capability.updated': { object: { status: 'active' }, previous: { status: 'inactive' } },
  'mandate.updated': { object: { status: 'inactive' }, previous: { status: 'active' } },
  'customer.tax_id.updated': { object: { verification: { status: 'verified', verified_address: null, verified_name: 'Jenny Rosen GmbH' } }, previous: { verification: { status: 'pending', verified_address: null, verified_name: null } } },
  'customer.discount.updated': { object: { promotion_code: null }, previous: { end: null } },
  'issuing_token.updated': { object: { status: 'suspended' }, previous: { status: 'active' } },
  'radar.early_fraud_warning.updated': { object: { actionable: false }, previous: { actionable: true } },
  'source.transaction.updated': { object: { status: 'succeeded' }, previous: { status: 'pending' } },
  'apps.install.updated': { object: { status: 'installed' }, previous: { status: 'pending' } },
  'billing.meter.updated': { object: { display_name: 'API requests' }, previous: { display_name: 'API calls' } },
  'balance_settings.updated': { previous: (o) => ({ payments: { ...o.payments, settlement_timing: { ...o.payments.settlement_timing, delay_days: 7 } } }) },
  'reporting.report_type.updated': { previous: { version: 1 } },
  'tax.settings.updated': { object: { status: 'active' }, previous: { status: 'pending' } },
  'entitlements.active_entitlement_summary.updated': { previous: (o) => ({ entitlements: { ...o.entitlements, data: [] } }) },
};

/**
 * The status an event's last word names, where the resource has such a
 * status (`payout.paid` → `paid`, `invoice.voided` → `void`); the enum of
 * the resource's `status` decides.
 */
const VERB_STATUS = {
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'canceled',
  processing: 'processing',
  requires_action: 'requires_action',
  requires_input: 'requires_input',
  requires_challenge: 'requires_challenge',
  requires_submission: 'requires_submission',
  errored: 'error',
  verified: 'verified',
  paid: 'paid',
  voided: 'void',
  marked_uncollectible: 'uncollectible',
  expired: 'expired',
  closed: 'closed',
  posted: 'posted',
  returned: 'returned',
  reversed: 'reversed',
  completed: 'completed',
  released: 'released',
  aborted: 'canceled',
  activated: 'active',
  deactivated: 'inactive',
  reactivated: 'active',
  disconnected: 'disconnected',
  rejected: 'rejected',
  disabled: 'disabled',
  delivered: 'delivered',
  submitted: 'submitted',
  won: 'won',
  lost: 'lost',
  redacted: 'canceled',
  delayed: 'confirmed',
  product_substituted: 'confirmed',
  ready: 'ready',
  advancing: 'advancing',
  internal_failure: 'internal_failure',
};

export function statusFor(type, statuses) {
  const status = VERB_STATUS[type.slice(type.lastIndexOf('.') + 1)];
  return status && statuses.includes(status) ? status : null;
}

/** A `*.updated` with no patch: its metadata changed (the most common update an integration makes). */
export function updatedFields(properties) {
  if (!properties.metadata) return null;
  return { object: { metadata: { plan: 'pro' } }, previous: { metadata: { plan: 'basic' } } };
}

/**
 * The events Stripe emits on its own (schedules, networks, banks, the
 * passage of time) rather than for an API request: their `request` is
 * `{id: null, idempotency_key: null}`, as the API reference describes
 * ("If null, the event was automatic").
 */
export const AUTOMATIC = [
  /\.(upcoming|will_be_due|overdue|trial_will_end|expiring|expired|pending_update_expired)$/,
  /^balance\.available$/,
  /^cash_balance\.funds_available$/,
  /^payout\.(paid|failed|reconciliation_completed|updated)$/,
  /^charge\.(dispute\.|expired$|pending$|refund\.updated$)/,
  /^radar\./,
  /^review\./,
  /^reporting\./,
  /^sigma\./,
  /^issuing_authorization\.request$/,
  /^issuing_transaction\./,
  /^issuing_dispute\.(closed|funds_reinstated|funds_rescinded)$/,
  /^financial_connections\./,
  /^test_helpers\.test_clock\.(advancing|ready|internal_failure)$/,
  /^treasury\.received_(credit|debit)\./,
  /^billing\.alert\.triggered$/,
  /^entitlements\./,
  /^source\.(chargeable|failed|mandate_notification|transaction\.)/,
  /^topup\.(succeeded|failed|reversed)$/,
  /^transfer\.reversed$/,
  /^subscription_schedule\.(completed|aborted)$/,
  /^identity\.verification_session\.(processing|verified|requires_input)$/,
  /^three_d_secure\./,
  /^invoice\.(finalization_failed|payment_action_required|payment_attempt_required)$/,
  /^climate\.order\.(delayed|delivered|product_substituted)$/,
  /^climate\.product\.pricing_updated$/,
  /^reserve\./,
];

/** A union `data.object` type: the member its events usually carry. */
export const UNION_CHOICE = { CustomerSource: 'Card', ExternalAccount: 'BankAccount' };
