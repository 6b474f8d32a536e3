import { Fragment, useEffect, useMemo, useRef, useState } from "react";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { Message } from "../bindings/Message";
import type { Started } from "../bindings/Started";
import type { TemplateOption } from "../bindings/TemplateOption";
import type { TemplatePreview } from "../bindings/TemplatePreview";
import type { TemplateSlot } from "../bindings/TemplateSlot";
import type { TemplateValue } from "../bindings/TemplateValue";
import type { TypedNumber } from "../bindings/TypedNumber";
import { fixedDecimals } from "../lib/format/number";
import { type TFunction, useTranslation } from "../lib/i18n";
import { listTemplates, previewTemplate, sendTemplate, startConversation, syncTemplates } from "../lib/ipc";
import { useDialogFocus } from "../lib/keyboard";
import { CollisionWarning, useCollisionCheck } from "./Presence";
import { HeaderFile } from "./Attachment";
import { errorText } from "../lib/i18n/problem";
import { statusName, templateWhy } from "../lib/health/wording";

type Props = {
  /** Contact values by variable name: a named variable found here starts filled. */
  contactValues?: Record<string, string>;
  onClose: () => void;
  /** Called as the agent fills a variable: the team sees them typing. */
  onTyping?: () => void;
  /** Called once a template went out: this agent is back to viewing. */
  onSent?: () => void;
} & (
  | { conversation: ConversationSummary; onQueued: (message: Message) => void }
  /** A number that never wrote (New conversation): sending starts its conversation. */
  | { conversation?: undefined; number: TypedNumber; onStarted: (started: Started) => void }
);

function slotId(slot: TemplateSlot): string {
  switch (slot.slot) {
    case "header_text":
      return `header:${slot.var}`;
    case "header_media":
      return "header:media";
    case "body":
      return `body:${slot.var}`;
    case "button":
      return `button:${slot.index}`;
  }
}

/**
 * A chosen template's first values: each named variable whose name is a
 * contact value's (a custom field, or `name`); the agent can still edit them.
 */
export function prefill(option: TemplateOption, contactValues: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const v of option.variables) {
    if (v.slot.slot !== "body" && v.slot.slot !== "header_text") continue;
    const value = contactValues[v.slot.var.toLowerCase()];
    if (value !== undefined) values[slotId(v.slot)] = value;
  }
  return values;
}

// A variable is named as the template writes it, `{{1}}` or `{{name}}`.
function slotLabel(slot: TemplateSlot, t: TFunction): string {
  switch (slot.slot) {
    case "header_text":
      return t("templates.slotHeaderText", { variable: `{{${slot.var}}}` });
    case "header_media":
      return t("templates.slotHeaderMedia");
    case "body":
      return `{{${slot.var}}}`;
    case "button":
      return t("templates.slotButton", { number: slot.index + 1 });
  }
}

/** A template's category as WhatsApp names it, in the window's language. */
function categoryName(category: TemplateOption["category"], t: TFunction): string {
  return t(`templates.categoryName.${category}`);
}

/**
 * Choosing an approved template: search and filters, a field per variable
 * validated as the agent types, the message exactly as the customer will see
 * it, its category and estimated cost.
 */
export function TemplatePicker(props: Props) {
  const { conversation, contactValues = {}, onClose, onTyping, onSent } = props;
  const conversationId = conversation?.id ?? null;
  const { t } = useTranslation();
  const [options, setOptions] = useState<TemplateOption[] | null>(null);
  const [query, setQuery] = useState("");
  const [language, setLanguage] = useState("");
  const [category, setCategory] = useState("");
  const [chosen, setChosen] = useState<TemplateOption | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<TemplatePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  // Someone else is on this customer: asked before sending, as for a reply.
  const { collisions, mayGo, dismiss } = useCollisionCheck(conversationId);
  const [generation, setGeneration] = useState(0);
  const [refreshing, setRefreshing] = useState(false);
  const dialog = useRef<HTMLDivElement>(null);
  useDialogFocus(dialog, onClose);

  // The keyboard follows the steps: the search box to pick a template, then
  // the form's first field (or its back button when there is none).
  useEffect(() => {
    const root = dialog.current;
    if (!root) return;
    const first = chosen
      ? (root.querySelector<HTMLElement>(".picker-form input") ?? root.querySelector<HTMLElement>(".picker-form button"))
      : root.querySelector<HTMLElement>(".picker-filters input");
    first?.focus();
  }, [chosen]);

  const refresh = async () => {
    setRefreshing(true);
    setError(null);
    try {
      await syncTemplates();
      setGeneration((g) => g + 1);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setRefreshing(false);
    }
  };

  useEffect(() => {
    let cancelled = false;
    listTemplates({
      query: query.trim() || null,
      language: language || null,
      category: (category || null) as TemplateOption["category"] | null,
      // Not-approved templates are listed apart, with Meta's reason.
      only_approved: false,
      conversation: conversationId,
    })
      .then((o) => !cancelled && setOptions(o))
      .catch((err: unknown) => !cancelled && setError(errorText(err)));
    return () => {
      cancelled = true;
    };
  }, [query, language, category, conversationId, generation]);

  const filled: TemplateValue[] = useMemo(
    () => (chosen ? chosen.variables.map((v) => ({ slot: v.slot, value: values[slotId(v.slot)] ?? "" })) : []),
    [chosen, values],
  );

  useEffect(() => {
    if (!chosen) return;
    let cancelled = false;
    previewTemplate(chosen.key, filled)
      .then((p) => !cancelled && setPreview(p))
      .catch((err: unknown) => !cancelled && setError(errorText(err)));
    return () => {
      cancelled = true;
    };
  }, [chosen, filled]);

  const languages = [...new Set((options ?? []).map((o) => o.key.language))].sort();
  const sendable = options?.filter((o) => o.status === "APPROVED") ?? null;
  const unavailable = options?.filter((o) => o.status !== "APPROVED") ?? [];
  /**
   * Sends the template, unless the collision check holds it (then the
   * warning shows and the filled form stays; see `useCollisionCheck`).
   */
  const send = async (anyway = false) => {
    if (!chosen || sending) return;
    setSending(true);
    setError(null);
    try {
      if (!(await mayGo(anyway))) return;
      if (props.conversation) {
        const queued = await sendTemplate(props.conversation.id, chosen.key, filled);
        props.onQueued(queued.message);
      } else {
        props.onStarted(await startConversation(props.number.e164, chosen.key, filled));
      }
      onSent?.();
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="picker-backdrop">
      <div
        ref={dialog}
        className="template-picker"
        role="dialog"
        aria-modal="true"
        tabIndex={-1}
        aria-label={t("templates.dialogLabel")}
        data-testid="template-picker"
      >
        <header className="picker-header">
          <h2>{t("templates.title", { name: props.conversation ? props.conversation.display_name : props.number.international })}</h2>
          <button type="button" onClick={onClose} data-testid="template-picker-close">
            {t("common.close")}
          </button>
        </header>
        {!chosen && (
          <>
            <div className="picker-filters">
              <input
                data-testid="template-search"
                placeholder={t("templates.search")}
                value={query}
                onChange={(e) => setQuery(e.target.value)}
              />
              <select aria-label={t("templates.language")} value={language} onChange={(e) => setLanguage(e.target.value)}>
                <option value="">{t("templates.allLanguages")}</option>
                {languages.map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
              <select aria-label={t("templates.category")} value={category} onChange={(e) => setCategory(e.target.value)}>
                <option value="">{t("templates.allCategories")}</option>
                <option value="marketing">{t("templates.categoryOption.marketing")}</option>
                <option value="utility">{t("templates.categoryOption.utility")}</option>
                <option value="authentication">{t("templates.categoryOption.authentication")}</option>
              </select>
              <button type="button" onClick={() => void refresh()} disabled={refreshing} title={t("templates.refreshHint")}>
                {refreshing ? t("templates.refreshing") : t("templates.refresh")}
              </button>
            </div>
            {options === null && <p className="muted">{t("templates.loading")}</p>}
            {sendable?.length === 0 && <p className="muted">{t("templates.none")}</p>}
            <ul className="picker-list">
              {sendable?.map((o) => (
                <li key={`${o.key.name}/${o.key.language}`}>
                  <button
                    type="button"
                    className="template-option"
                    data-testid="template-option"
                    data-name={o.key.name}
                    data-language={o.key.language}
                    disabled={o.disabled_reason !== null}
                    title={o.disabled_reason ?? undefined}
                    onClick={() => {
                      setChosen(o);
                      setValues(prefill(o, contactValues));
                    }}
                  >
                    <span className="template-name">
                      {o.key.name} <span className="muted">· {o.key.language}</span>
                    </span>
                    <span className="template-category">{categoryName(o.category, t)}</span>
                    <span className="template-body muted">{o.preview.body}</span>
                    {o.disabled_reason && <span className="inline-error">{o.disabled_reason}</span>}
                  </button>
                </li>
              ))}
            </ul>
            {unavailable.length > 0 && (
              <section className="picker-unavailable" aria-label={t("health.unavailable")}>
                <h3 className="muted small">{t("health.unavailable")}</h3>
                <ul className="picker-list">
                  {unavailable.map((o) => (
                    <li
                      key={`${o.key.name}/${o.key.language}`}
                      className="template-option unavailable"
                      data-testid="template-unavailable"
                      data-name={o.key.name}
                      data-language={o.key.language}
                      data-status={o.status}
                    >
                      <span className="template-name">
                        {o.key.name} <span className="muted">· {o.key.language}</span>
                      </span>
                      <span className="template-category">{statusName(o.status, t)}</span>
                      {templateWhy(o.status, o.why, t).map((line) => (
                        <span key={line} className="template-why muted small" data-testid="template-why">
                          {line}
                        </span>
                      ))}
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </>
        )}
        {chosen && (
          <div className="picker-form">
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setChosen(null);
                dismiss();
              }}
            >
              {t("templates.back")}
            </button>
            <h3>
              {chosen.key.name} <span className="muted">· {chosen.key.language} · {categoryName(chosen.category, t)}</span>
            </h3>
            {chosen.variables.map((v) => {
              const id = slotId(v.slot);
              const field = (
                <label key={id} className="field">
                  <span>{slotLabel(v.slot, t)}</span>
                  <input
                    data-testid="template-variable"
                    data-slot={id}
                    value={values[id] ?? ""}
                    placeholder={v.example ?? ""}
                    onChange={(e) => {
                      setValues((prev) => ({ ...prev, [id]: e.target.value }));
                      dismiss();
                      onTyping?.();
                    }}
                  />
                </label>
              );
              if (v.slot.slot !== "header_media" || !["image", "video", "document"].includes(v.kind)) return field;
              return (
                <Fragment key={id}>
                  {field}
                  <HeaderFile
                    kind={v.kind}
                    onUploaded={(mediaId) => {
                      setValues((prev) => ({ ...prev, [id]: mediaId }));
                      dismiss();
                    }}
                  />
                </Fragment>
              );
            })}
            <div className="template-preview" data-testid="template-preview">
              {preview?.header_text && <strong className="preview-header">{preview.header_text}</strong>}
              <p className="preview-body">{preview?.body ?? chosen.preview.body}</p>
              {preview?.footer && <p className="preview-footer muted">{preview.footer}</p>}
              {preview?.buttons.map((b, i) => (
                <span key={i} className="preview-button" title={b.url ?? b.phone_number ?? undefined}>
                  {b.text}
                  {b.url && <span className="preview-url"> · {b.url}</span>}
                </span>
              ))}
            </div>
            {preview?.problem && (
              <p className="inline-error" data-testid="template-problem">
                {preview.problem.message}
              </p>
            )}
            {chosen.cost && (
              <p className="muted small" data-testid="template-cost">
                {chosen.cost.free
                  ? t("templates.free", { reason: chosen.cost.reason })
                  : t("templates.cost", {
                      amount: fixedDecimals(chosen.cost.amount, 3),
                      currency: chosen.cost.currency,
                      reason: chosen.cost.reason,
                    })}
              </p>
            )}
            {error && (
              <p className="inline-error" role="alert">
                {error}
              </p>
            )}
            {collisions && (
              <CollisionWarning
                collisions={collisions}
                onSend={() => void send(true)}
                onCancel={dismiss}
              />
            )}
            <button
              type="button"
              className="primary"
              data-testid="template-send"
              disabled={sending || collisions !== null || !preview || preview.problem !== null}
              onClick={() => void send()}
            >
              {t("templates.send")}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
