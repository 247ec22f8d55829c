import { definePlugin } from '@polyphony/plugin-sdk';

/** `GET /api/v1/plugins/hello/greeting`: public, so it answers signed-in users and everyone else. */
export default definePlugin({
  publicRoutes(router, ctx) {
    router.get('/greeting', async (c) => {
      // Read per request, so a greeting an admin saves applies at once.
      const { greeting } = await ctx.settings.get();
      const user = c.get('user');
      const word = typeof greeting === 'string' ? greeting : 'Hello';
      return c.json({ greeting: `${word}, ${user?.username ?? 'world'}!` });
    });
  },
});
