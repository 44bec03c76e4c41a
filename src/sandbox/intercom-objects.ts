import { userCount } from './company-store.js';
import type { SandboxCompany, SandboxContact, SandboxDataAttribute, Store } from './store.js';

/** An empty Intercom list object (tags, notes). */
function emptyList(url: string): Readonly<Record<string, unknown>> {
  return { type: 'list', data: [], url, total_count: 0, has_more: false };
}

/** A contact as Intercom returns it (`components/schemas/contact`), dates in Unix seconds. */
export function toContactObject(store: Store, contact: SandboxContact): Readonly<Record<string, unknown>> {
  const companyIds = [...(store.attachments.get(contact.id) ?? [])];
  return {
    type: 'contact',
    id: contact.id,
    workspace_id: store.settings.appId,
    external_id: contact.external_id,
    role: contact.role,
    email: contact.email,
    email_domain: contact.email?.split('@')[1] ?? null,
    phone: contact.phone,
    name: contact.name,
    avatar: contact.avatar,
    owner_id: contact.owner_id,
    social_profiles: { type: 'list', data: [] },
    has_hard_bounced: false,
    marked_email_as_spam: false,
    unsubscribed_from_emails: contact.unsubscribed_from_emails,
    created_at: contact.created_at,
    updated_at: contact.updated_at,
    signed_up_at: contact.signed_up_at,
    last_seen_at: contact.last_seen_at,
    custom_attributes: contact.custom_attributes,
    tags: emptyList(`/contacts/${contact.id}/tags`),
    notes: emptyList(`/contacts/${contact.id}/notes`),
    companies: {
      type: 'list',
      data: companyIds.map((id) => ({ type: 'company', id, url: `/companies/${id}` })),
      url: `/contacts/${contact.id}/companies`,
      total_count: companyIds.length,
      has_more: false,
    },
    location: { type: 'location', country: null, region: null, city: null },
  };
}

/** A company as Intercom returns it (`components/schemas/company`). */
export function toCompanyObject(store: Store, company: SandboxCompany): Readonly<Record<string, unknown>> {
  return {
    type: 'company',
    id: company.id,
    company_id: company.company_id,
    app_id: store.settings.appId,
    name: company.name,
    plan: company.plan === null ? {} : { type: 'plan', id: company.plan, name: company.plan },
    size: company.size,
    website: company.website,
    industry: company.industry,
    monthly_spend: company.monthly_spend,
    remote_created_at: company.remote_created_at,
    created_at: company.created_at,
    updated_at: company.updated_at,
    session_count: 0,
    user_count: userCount(store, company.id),
    custom_attributes: company.custom_attributes,
    tags: { type: 'tag.list', tags: [] },
    segments: { type: 'segment.list', segments: [] },
  };
}

/** A data attribute as Intercom returns it. */
export function toDataAttributeObject(attribute: SandboxDataAttribute): Readonly<Record<string, unknown>> {
  const { id, ...rest } = attribute;
  return { type: 'data_attribute', ...(id === null ? {} : { id }), ...rest };
}

/** An Intercom cursor-less list of objects (`{type:'list', data, total_count, pages}`). */
export function toList(
  data: readonly unknown[],
  pages?: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  return {
    type: 'list',
    data,
    total_count: data.length,
    pages: pages ?? { type: 'pages', page: 1, per_page: Math.max(data.length, 1), total_pages: 1 },
  };
}
