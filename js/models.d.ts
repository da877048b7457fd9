// Written by tsify from the Rust models (src/core/tests/ts_types.rs); do not edit:
// UPDATE_TS_TYPES=1 cargo test ts_types writes it again.

/**
 * One page of a Graph list.
 */
export interface Page<T> {
    /**
     * The items of this page, in the Graph's order (newest first).
     */
    data: T[];
    /**
     * Cursors and links; absent on some last pages.
     */
    paging?: Paging;
}

/**
 * `paging` of a [`Page`].
 */
export interface Paging {
    /**
     * The cursors to pass as `after` / `before`.
     */
    cursors?: Cursors;
    /**
     * The Graph's link to the next page; present only when there is one.
     * It can carry the access token: do not fetch or log it.
     */
    next?: string;
    /**
     * The Graph's link to the previous page.
     */
    previous?: string;
}

/**
 * `paging.cursors`.
 */
export interface Cursors {
    /**
     * Points at the first item of the page.
     */
    before?: string;
    /**
     * Points at the last item of the page: `after` for the next page.
     */
    after?: string;
}

/**
 * `X-App-Usage` / `X-Page-Usage`: whole percentages of the budget used.
 */
export interface AppUsage {
    /**
     * Calls, in percent of the budget.
     */
    call_count?: number;
    /**
     * CPU time, in percent.
     */
    total_cputime?: number;
    /**
     * Wall time, in percent.
     */
    total_time?: number;
    /**
     * Minutes until calls are allowed again, when throttled.
     */
    estimated_time_to_regain_access?: number;
}

/**
 * One entry of `X-Business-Use-Case-Usage`: a use case and its usage.
 */
export interface BusinessUseCaseUsage extends AppUsage {
    /**
     * `messenger`, `instagram`, `pages`, …
     */
    type?: string;
}

/**
 * The latest usage headers (`client.usage` in JS).
 */
export interface Usage {
    /**
     * `X-App-Usage`.
     */
    app?: AppUsage;
    /**
     * `X-Page-Usage`.
     */
    page?: AppUsage;
    /**
     * `X-Business-Use-Case-Usage`, by object id (Page or Instagram account).
     */
    business_use_case?: Record<string, BusinessUseCaseUsage[]>;
}

/**
 * A conversation between the Page (or Instagram account) and people.
 *
 * See <https://developers.facebook.com/docs/graph-api/reference/conversation>.
 */
export type Conversation = { id: string; updated_time?: string; message_count?: number; unread_count?: number; snippet?: string; participants?: Page<Participant>; senders?: Page<Participant>; former_participants?: Page<Participant>; can_reply?: boolean; is_subscribed?: boolean; link?: string; name?: string; subject?: string; scoped_thread_key?: string; wallpaper?: string; messages?: Page<Message>; is_owner?: boolean } & { [field: string]: unknown };

/**
 * One message. The Graph gives details only for a thread's 20 newest
 * messages; older ones come with `id` and `created_time` alone.
 *
 * See <https://developers.facebook.com/docs/graph-api/reference/message>.
 */
export type Message = { id: string; created_time?: string; from?: Participant; to?: Page<Participant>; message?: string; sticker?: string; attachments?: Page<Attachment>; reactions?: Page<Reaction>; shares?: Page<Share>; story?: Story; tags?: Page<Tag>; is_unsupported?: boolean; reply_to?: ReplyTo } & { [field: string]: unknown };

/**
 * `reply_to` of a message: the message it quotes.
 */
export type ReplyTo = { mid?: string; is_self_reply?: boolean } & { [field: string]: unknown };

/**
 * An attachment. EU-privacy answers can carry only `id` and `name`.
 */
export type Attachment = { id?: string; mime_type?: string; name?: string; size?: number; file_url?: string; image_data?: ImageData; video_data?: VideoData; generic_template?: GenericTemplate; type?: string; sticker_id?: string | number; ig_post_media_id?: string; title?: string; url?: string } & { [field: string]: unknown };

/**
 * `image_data` of an [`Attachment`].
 */
export type ImageData = { url?: string; preview_url?: string; width?: number; height?: number; max_width?: number; max_height?: number; image_type?: number | string; render_as_sticker?: boolean; animated_gif_url?: string; animated_gif_preview_url?: string } & { [field: string]: unknown };

/**
 * `video_data` of an [`Attachment`].
 */
export type VideoData = { url?: string; preview_url?: string; width?: number; height?: number; length?: number; video_type?: number | string; rotation?: number } & { [field: string]: unknown };

/**
 * `generic_template` of an [`Attachment`]: a card with a button.
 */
export type GenericTemplate = { title?: string; subtitle?: string; url?: string; media_url?: string; cta?: CallToAction } & { [field: string]: unknown };

/**
 * `cta` of a [`GenericTemplate`].
 */
export type CallToAction = { title?: string; type?: string; url?: string } & { [field: string]: unknown };

/**
 * One reaction and who gave it.
 */
export type Reaction = { reaction?: string; users?: Participant[] } & { [field: string]: unknown };

/**
 * A shared post, link or product. Real answers can hold `null` in any of
 * these fields.
 */
export type Share = { id?: string; link?: string; name?: string; description?: string; template?: unknown } & { [field: string]: unknown };

/**
 * Instagram: the story a message replies to or mentions.
 */
export type Story = { reply_to?: StoryLink; mention?: StoryLink } & { [field: string]: unknown };

/**
 * `story.reply_to` / `story.mention`.
 */
export type StoryLink = { link?: string; id?: string } & { [field: string]: unknown };

/**
 * A label on a message.
 */
export type Tag = { name?: string } & { [field: string]: unknown };

/**
 * A person or Page in a conversation: `participants`, `senders`, a
 * message's `from` and `to`. Messenger gives `{name, email, id}` (the
 * email is `<PSID>@facebook.com`), Instagram `{username, id}`.
 */
export type Participant = { id: string; name?: string; email?: string; username?: string } & { [field: string]: unknown };

/**
 * The inbox to read: `platform` of `GET /{page-id}/conversations`.
 */
export type Platform = "messenger" | "instagram";

/**
 * A folder of the inbox: `folder` of `GET /{page-id}/conversations`.
 */
export type Folder = "inbox" | "other" | "page_done" | "spam";

/**
 * Which fields to ask for: a list of names (`["id", "message"]`) or one
 * Graph field-expansion string (`"messages.limit(20){id,message,from}"`).
 *
 * See <https://developers.facebook.com/docs/graph-api/guides/field-expansion>.
 */
export type Fields = string[] | string;

/**
 * What to ask of `GET /{page-id}/conversations` (`query` in JS).
 */
export interface ConversationQuery {
    /**
     * `messenger` (the default) or `instagram`.
     */
    platform?: Platform;
    /**
     * `inbox` (the default), `other`, `page_done` or `spam`.
     */
    folder?: Folder;
    /**
     * Only the thread with this person (PSID or IGSID).
     */
    userId?: string;
    /**
     * The conversation fields to return; the Graph's default is
     * `id,updated_time`.
     */
    fields?: Fields;
    /**
     * Page size, 1 to 500 (the Graph's default is 25).
     */
    limit?: number;
    /**
     * The `paging.cursors.after` of the previous page.
     */
    after?: string;
    /**
     * The `paging.cursors.before` of the next page.
     */
    before?: string;
}

/**
 * What to ask of a conversation's `messages` edge (`query` in JS).
 */
export interface MessageQuery {
    /**
     * The message fields to return; the default is the documented set
     * ([`DEFAULT_MESSAGE_FIELDS`](super::request::DEFAULT_MESSAGE_FIELDS)).
     */
    fields?: Fields;
    /**
     * Page size, 1 to 500 (the Graph's default is 25).
     */
    limit?: number;
    /**
     * The `paging.cursors.after` of the previous page.
     */
    after?: string;
    /**
     * The `paging.cursors.before` of the next page.
     */
    before?: string;
}
