package simplebt.node;

import java.io.IOException;

import simplebt.trackerclient.ApiRecords;

/** Register, log in and log out from the menu; the token is saved in the config file. */
final class AccountFlow {
    private final MenuContext ctx;

    AccountFlow(MenuContext ctx) {
        this.ctx = ctx;
    }

    void register() throws IOException, InterruptedException {
        String user = ctx.prompt().askNonEmpty("Username");
        String password = ctx.prompt().password("Password");
        String again = ctx.prompt().password("Password again");
        if (!password.equals(again)) {
            ctx.say("error: the passwords differ; nothing was created");
            return;
        }
        ctx.api().signup(user, password);
        ctx.say("Account " + user + " created.");
        loginAs(user, password);
    }

    void login() throws IOException, InterruptedException {
        String user = ctx.prompt().askNonEmpty("Username");
        String password = ctx.prompt().password("Password");
        loginAs(user, password);
    }

    private void loginAs(String user, String password) throws IOException, InterruptedException {
        ApiRecords.Login login = ctx.api().login(user, password);
        ctx.save(ctx.config().withLogin(ctx.config().trackerUrl(), login.token(), login.username()));
        ctx.say("Logged in as " + login.username() + ".");
    }

    void logout() throws IOException, InterruptedException {
        try {
            ctx.api().logout();
        } finally {
            // Forget the token locally even when the tracker cannot be reached.
            ctx.save(ctx.config().withoutLogin());
        }
        ctx.say("Logged out.");
    }
}
