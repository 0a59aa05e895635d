import { hashPassword, verifyPassword } from "../auth/passwords.js";
import { createSession, revokeSession } from "../auth/sessions.js";
import { UserError } from "../errors.js";
import type { User } from "../generated/prisma/client.js";
import { Prisma } from "../generated/prisma/client.js";
import { builder } from "./builder.js";
import { rejection, requireViewer, type Context } from "./context.js";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MIN_PASSWORD = 8;
/** argon2 hashes whatever it is given; a cap keeps one request from costing seconds of CPU. */
const MAX_PASSWORD = 1024;

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
  if (normalised.length > 254 || !EMAIL.test(normalised)) {
    throw new UserError("BAD_USER_INPUT", "Enter a valid email address.");
  }
  return normalised;
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
      const email = normaliseEmail(args.email);
      if (args.password.length < MIN_PASSWORD) {
        throw new UserError("BAD_USER_INPUT", `Password must be at least ${MIN_PASSWORD} characters.`);
      }
      if (args.password.length > MAX_PASSWORD) {
        throw new UserError("BAD_USER_INPUT", `Password must be at most ${MAX_PASSWORD} characters.`);
      }
      try {
        const user = await ctx.prisma.user.create({
          data: { email, passwordHash: await hashPassword(args.password) },
        });
        return await signIn(ctx, user);
      } catch (err) {
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
          throw new UserError("BAD_USER_INPUT", "An account with this email already exists.");
        }
        throw err;
      }
    },
  }),
  logIn: t.field({
    type: AuthPayloadRef,
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const user = await ctx.prisma.user.findUnique({ where: { email: args.email.trim().toLowerCase() } });
      const password = args.password.slice(0, MAX_PASSWORD + 1);
      if (!(await verifyPassword(user?.passwordHash, password)) || !user) {
        // one message whichever was wrong, so the API does not reveal who has an account
        throw new UserError("UNAUTHENTICATED", "Wrong email or password.");
      }
      return signIn(ctx, user);
    },
  }),
  logOut: t.boolean({
    description: "Revokes the token this request was made with.",
    resolve: async (_root, _args, ctx) => {
      await revokeSession(ctx.prisma, requireViewer(ctx).sessionId);
      return true;
    },
  }),
}));
