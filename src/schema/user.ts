import { hashPassword, MAX_PASSWORD, newPasswordProblem, verifyPassword } from "../auth/passwords.js";
import { clientKey, countHit, rateLimited } from "../auth/rateLimits.js";
import { createSession, revokeSession } from "../auth/sessions.js";
import { UserError } from "../errors.js";
import type { User } from "../generated/prisma/client.js";
import { Prisma } from "../generated/prisma/client.js";
import { builder } from "./builder.js";
import { rejection, requireViewer, type Context } from "./context.js";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Longer than any address: keys of `logIn`'s unchecked emails stay small. */
const MAX_EMAIL = 254;

export const UserRef = builder.objectRef<User>("User").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    email: t.exposeString("email"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

interface AuthPayload {
  token: string;
  user: User;
}

const AuthPayloadRef = builder.objectRef<AuthPayload>("AuthPayload").implement({
  description: "A bearer token for `Authorization: Bearer <token>`, and whose it is.",
  fields: (t) => ({
    token: t.exposeString("token"),
    user: t.field({ type: UserRef, resolve: (payload) => payload.user }),
  }),
});

function normaliseEmail(email: string): string {
  const normalised = email.trim().toLowerCase();
  if (normalised.length > MAX_EMAIL || !EMAIL.test(normalised)) {
    throw new UserError("BAD_USER_INPUT", "Enter a valid email address.");
  }
  return normalised;
}

/**
 * Counts a `logIn` or `signUp` attempt against the client's address and against the account
 * (`email`, normalised), both limited to `AUTH_RATE_LIMIT_PER_MINUTE`; throws RATE_LIMITED past
 * either. Runs before any password is hashed or verified, so a flood costs one upsert each.
 */
async function limitAttempts(ctx: Context, email: string): Promise<void> {
  const keys = [clientKey(ctx), `account:${email.slice(0, MAX_EMAIL)}`];
  const retryAfter = await countHit(ctx.db.pool, keys, ctx.config.authRateLimitPerMinute);
  if (retryAfter) throw rateLimited("attempts", retryAfter, ctx);
}

async function signIn(ctx: Context, user: User): Promise<AuthPayload> {
  return { token: await createSession(ctx.prisma, user.id, ctx.config.sessionTtlHours), user };
}

builder.queryField("me", (t) =>
  t.field({
    type: UserRef,
    nullable: true,
    description: "The signed-in user; null when anonymous.",
    resolve: (_root, _args, ctx) => {
      if (ctx.tokenRejected) throw rejection(ctx);
      return ctx.viewer?.user ?? null;
    },
  }),
);

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayloadRef,
    description: "Creates an account and signs it in.",
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      // before anything else: a closed server says so whatever was sent, and costs no hashing
      if (!ctx.config.allowSignup) {
        throw new UserError("FORBIDDEN", "Sign-up is turned off on this server; ask its administrator for an account.");
      }
      const email = normaliseEmail(args.email);
      const problem = await newPasswordProblem(args.password);
      if (problem) throw new UserError("BAD_USER_INPUT", problem);
      // after the checks a person fixes as they type; an attempt that reaches the database counts,
      // and this limit is what bounds probing for taken emails (see the README)
      await limitAttempts(ctx, email);
      try {
        const user = await ctx.prisma.user.create({
          data: { email, passwordHash: await hashPassword(args.password) },
        });
        return await signIn(ctx, user);
      } catch (err) {
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
          throw new UserError("BAD_USER_INPUT", "An account with this email already exists; log in instead.");
        }
        throw err;
      }
    },
  }),
  logIn: t.field({
    type: AuthPayloadRef,
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const email = args.email.trim().toLowerCase();
      await limitAttempts(ctx, email);
      const user = await ctx.prisma.user.findUnique({ where: { email } });
      const password = args.password.slice(0, MAX_PASSWORD + 1);
      if (!(await verifyPassword(user?.passwordHash, password)) || !user) {
        // one message whichever was wrong, so the API does not reveal who has an account
        throw new UserError("UNAUTHENTICATED", "Wrong email or password.");
      }
      return signIn(ctx, user);
    },
  }),
  logOut: t.boolean({
    description:
      "Revokes the session token this request was made with. FORBIDDEN with an API key: revoke a key with " +
      "revokeApiKey, from a session.",
    resolve: async (_root, _args, ctx) => {
      const { credential } = requireViewer(ctx);
      // a script that logs out by habit must not end a key other machines share
      if (credential.kind !== "session") {
        throw new UserError("FORBIDDEN", "An API key is not a session: revoke it with revokeApiKey, logged in.");
      }
      await revokeSession(ctx.prisma, credential.id);
      return true;
    },
  }),
}));
