package sdk

// The web interface's texts (node/ui): its layout, login, errors and home
// page, keys "ui.*". The network and analysis pages add theirs in
// uitext_ui_*.go files of their own.
func init() {
	for k, v := range webTexts {
		uiTexts[k] = v
	}
}

var webTexts = map[UIKey]Label{
	"ui.skip":         l6("Skip to content", "Preskoči na sadržaj", "Preskoči na sadržaj", "Preskoči na sadržaj", "Прескокни до содржината"),
	"ui.nav.label":    l6("Main menu", "Glavni meni", "Glavni izbornik", "Glavni meni", "Главно мени"),
	"ui.nav.home":     l6("Home", "Početna", "Početna", "Početna", "Почетна"),
	"ui.nav.records":  l6("Records", "Zapisi", "Zapisi", "Zapisi", "Записи"),
	"ui.nav.network":  l6("Network", "Mreža", "Mreža", "Mreža", "Мрежа"),
	"ui.nav.analysis": l6("Analysis", "Analiza", "Analiza", "Analiza", "Анализа"),
	"ui.nav.node":     l6("Node", "Čvor", "Čvor", "Čvor", "Јазол"),
	"ui.language":     l6("Language", "Jezik", "Jezik", "Jezik", "Јазик"),
	"ui.apply":        l6("Apply", "Primeni", "Primijeni", "Primijeni", "Примени"),
	"ui.logout":       l6("Log out", "Odjava", "Odjava", "Odjava", "Одјава"),
	"ui.logged_out":   l6("You are logged out.", "Odjavljeni ste.", "Odjavljeni ste.", "Odjavljeni ste.", "Одјавени сте."),
	"ui.not_yet":      l6("Not available yet.", "Još nije dostupno.", "Još nije dostupno.", "Još nije dostupno.", "Сè уште не е достапно."),

	"ui.login.spent.title": l6("This login link cannot be used", "Ova veza za prijavu ne može da se koristi", "Ova se poveznica za prijavu ne može koristiti", "Ovaj link za prijavu ne može se koristiti", "Оваа врска за најава не може да се користи"),
	"ui.login.spent.text": l6c("A login link works once, for 5 minutes. Run kolo ui again on the node's machine for a new one.",
		"Veza za prijavu važi jednom, 5 minuta. Ponovo pokrenite kolo ui na računaru čvora da biste dobili novu.",
		"Веза за пријаву важи једном, 5 минута. Поново покрените kolo ui на рачунару чвора да бисте добили нову.",
		"Poveznica za prijavu vrijedi jednom, 5 minuta. Ponovno pokrenite kolo ui na računalu čvora za novu.",
		"Link za prijavu važi jednom, 5 minuta. Ponovo pokrenite kolo ui na računaru čvora da dobijete novi.",
		"Врската за најава важи еднаш, 5 минути. Повторно извршете kolo ui на компјутерот на јазолот за нова."),
	"ui.login.needed.title": l6("Log in", "Prijava", "Prijava", "Prijava", "Најава"),
	"ui.login.needed.text": l6c("Open the interface with a login link: run kolo ui on the node's machine.",
		"Otvorite interfejs vezom za prijavu: pokrenite kolo ui na računaru čvora.",
		"Отворите интерфејс везом за пријаву: покрените kolo ui на рачунару чвора.",
		"Otvorite sučelje poveznicom za prijavu: pokrenite kolo ui na računalu čvora.",
		"Otvorite interfejs linkom za prijavu: pokrenite kolo ui na računaru čvora.",
		"Отворете го интерфејсот со врска за најава: извршете kolo ui на компјутерот на јазолот."),

	"ui.error.not_found":   l6("Page not found", "Stranica nije pronađena", "Stranica nije pronađena", "Stranica nije pronađena", "Страницата не е пронајдена"),
	"ui.error.forbidden":   l6("Refused: this request did not come from this node's own pages", "Odbijeno: ovaj zahtev nije stigao sa stranica ovog čvora", "Odbijeno: ovaj zahtjev nije stigao sa stranica ovog čvora", "Odbijeno: ovaj zahtjev nije stigao sa stranica ovog čvora", "Одбиено: ова барање не дојде од страниците на овој јазол"),
	"ui.error.bad_request": l6("The node refused this", "Čvor je ovo odbio", "Čvor je ovo odbio", "Čvor je ovo odbio", "Јазолот го одби ова"),
	"ui.error.internal":    l6("Something went wrong on the node", "Nešto nije u redu na čvoru", "Nešto nije u redu na čvoru", "Nešto nije u redu na čvoru", "Нешто не е во ред на јазолот"),

	"ui.home.title":    l6("This node", "Ovaj čvor", "Ovaj čvor", "Ovaj čvor", "Овој јазол"),
	"ui.home.records":  l6("Enter, import and export this organisation's monitoring records.", "Unosite, uvozite i izvozite zapise praćenja ove organizacije.", "Unosite, uvozite i izvozite zapise praćenja ove organizacije.", "Unosite, uvozite i izvozite zapise praćenja ove organizacije.", "Внесувајте, увезувајте и извезувајте ги записите за следење на оваа организација."),
	"ui.home.network":  l6("Members, the Declaration, invites.", "Članice, Deklaracija, pozivnice.", "Članice, Deklaracija, pozivnice.", "Članice, Deklaracija, pozivnice.", "Членки, Декларацијата, покани."),
	"ui.home.analysis": l6("Federated queries and the regional report.", "Federativni upiti i regionalni izveštaj.", "Federativni upiti i regionalno izvješće.", "Federativni upiti i regionalni izvještaj.", "Федеративни прашања и регионалниот извештај."),
	"ui.home.node":     l6("Status, peers, plugins and the audit log.", "Stanje, povezani čvorovi, dodaci i dnevnik revizije.", "Stanje, povezani čvorovi, dodaci i revizijski dnevnik.", "Stanje, povezani čvorovi, dodaci i dnevnik revizije.", "Состојба, поврзани јазли, приклучоци и ревизорски дневник."),
}
