package sdk

import (
	"regexp"
	"strings"
)

// The web interface's texts (node/ui): its layout, login, errors and home
// page, keys "ui.*". The network and analysis pages add theirs in
// uitext_ui_*.go files of their own.
func init() {
	for _, m := range []map[UIKey]Label{webTexts, recordsWebTexts, nodeWebTexts} {
		for k, v := range m {
			uiTexts[k] = v
		}
	}
}

// kept are what a Serbian Cyrillic text keeps as it is typed: fmt verbs,
// names of formats and programs, commands.
var kept = regexp.MustCompile(`%[a-z]|kolo forms template|kolo ui|kolo|UTF-8|SHA-256|Windows-1250|Excel|MiB|Age|[A-Z]{2,}`)

// l6k is l6 whose Serbian Cyrillic text keeps what is typed (kept) in
// Latin letters.
func l6k(en, srLatn, hr, bs, mk string) Label {
	l := l6(en, srLatn, hr, bs, mk)
	var b strings.Builder
	last := 0
	for _, m := range kept.FindAllStringIndex(srLatn, -1) {
		b.WriteString(SerbianCyrillic(srLatn[last:m[0]]))
		b.WriteString(srLatn[m[0]:m[1]])
		last = m[1]
	}
	b.WriteString(SerbianCyrillic(srLatn[last:]))
	l["sr-Cyrl"] = b.String()
	return l
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

// The records pages (node/ui records_*.go).
var recordsWebTexts = map[UIKey]Label{
	"ui.error.no_record":         l6k("No such record", "Nema takvog zapisa", "Nema takvog zapisa", "Nema takvog zapisa", "Нема таков запис"),
	"ui.form.cancel":             l6k("Cancel", "Otkaži", "Odustani", "Otkaži", "Откажи"),
	"ui.form.choose":             l6k("— choose —", "— izaberite —", "— odaberite —", "— izaberite —", "— изберете —"),
	"ui.form.no_answer":          l6k("not answered", "bez odgovora", "bez odgovora", "bez odgovora", "без одговор"),
	"ui.form.not_saved":          l6k("The record was not saved. Correct these answers:", "Zapis nije sačuvan. Ispravite ove odgovore:", "Zapis nije spremljen. Ispravite ove odgovore:", "Zapis nije sačuvan. Ispravite ove odgovore:", "Записот не е зачуван. Поправете ги овие одговори:"),
	"ui.form.required":           l6k("required", "obavezno", "obvezno", "obavezno", "задолжително"),
	"ui.form.required_note":      l6k("marks a required answer.", "označava obavezan odgovor.", "označava obvezan odgovor.", "označava obavezan odgovor.", "означува задолжителен одговор."),
	"ui.form.save":               l6k("Save", "Sačuvaj", "Spremi", "Sačuvaj", "Зачувај"),
	"ui.import.again":            l6k("Import another file", "Uvezi drugu datoteku", "Uvezi drugu datoteku", "Uvezi drugu datoteku", "Увези друга датотека"),
	"ui.import.allow_duplicates": l6k("Also add rows that look like records already held (same case number and court)", "Dodaj i redove koji liče na postojeće zapise (isti broj predmeta i sud)", "Dodaj i retke koji sliče postojećim zapisima (isti broj predmeta i sud)", "Dodaj i redove koji liče na postojeće zapise (isti broj predmeta i sud)", "Додај ги и редовите што личат на постоечки записи (ист број на предмет и суд)"),
	"ui.import.bad_type":         l6k("The file must be CSV, JSONL, XLSX (Excel) or JSON (a kolo export), named so.", "Datoteka mora biti CSV, JSONL, XLSX (Excel) ili JSON (izvoz iz kolo), i tako nazvana.", "Datoteka mora biti CSV, JSONL, XLSX (Excel) ili JSON (izvoz iz kolo), i tako nazvana.", "Datoteka mora biti CSV, JSONL, XLSX (Excel) ili JSON (izvoz iz kolo), i tako nazvana.", "Датотеката мора да биде CSV, JSONL, XLSX (Excel) или JSON (извоз од kolo), и така именувана."),
	"ui.import.bytes_read":       l6k("%d of %d bytes read", "pročitano %d od %d bajtova", "pročitano %d od %d bajtova", "pročitano %d od %d bajtova", "прочитани %d од %d бајти"),
	"ui.import.checked":          l6k("Checked: nothing was stored (check only).", "Provereno: ništa nije sačuvano (samo provera).", "Provjereno: ništa nije spremljeno (samo provjera).", "Provjereno: ništa nije sačuvano (samo provjera).", "Проверено: ништо не е зачувано (само проверка)."),
	"ui.import.checking":         l6k("Checking rows", "Provera redova", "Provjera redaka", "Provjera redova", "Проверка на редовите"),
	"ui.import.counts":           l6k("%d added, %d updated, %d unchanged.", "%d dodato, %d izmenjeno, %d bez promene.", "%d dodano, %d izmijenjeno, %d bez promjene.", "%d dodano, %d izmijenjeno, %d bez promjene.", "%d додадени, %d изменети, %d непроменети."),
	"ui.import.done":             l6k("Imported.", "Uvezeno.", "Uvezeno.", "Uvezeno.", "Увезено."),
	"ui.import.dry_run":          l6k("Check only, store nothing", "Samo proveri, ništa ne čuvaj", "Samo provjeri, ništa ne spremaj", "Samo provjeri, ništa ne čuvaj", "Само провери, ништо не зачувувај"),
	"ui.import.encoding":         l6k("Text encoding", "Kodiranje teksta", "Kodiranje teksta", "Kodiranje teksta", "Кодирање на текстот"),
	"ui.import.encoding_auto":    l6k("detect (UTF-8, Windows-1250 or -1251)", "prepoznaj (UTF-8, Windows-1250 ili -1251)", "prepoznaj (UTF-8, Windows-1250 ili -1251)", "prepoznaj (UTF-8, Windows-1250 ili -1251)", "препознај (UTF-8, Windows-1250 или -1251)"),
	"ui.import.failed":           l6k("The import failed; nothing was stored.", "Uvoz nije uspeo; ništa nije sačuvano.", "Uvoz nije uspio; ništa nije spremljeno.", "Uvoz nije uspio; ništa nije sačuvano.", "Увозот не успеа; ништо не е зачувано."),
	"ui.import.field":            l6k("Field", "Polje", "Polje", "Polje", "Поле"),
	"ui.import.file":             l6k("File", "Datoteka", "Datoteka", "Datoteka", "Датотека"),
	"ui.import.file_help":        l6k("CSV, JSONL or XLSX (Excel), one record per row, laid out as the form's template (kolo forms template); at most 64 MiB.", "CSV, JSONL ili XLSX (Excel), jedan zapis po redu, kao šablon obrasca (kolo forms template); najviše 64 MiB.", "CSV, JSONL ili XLSX (Excel), jedan zapis po retku, kao predložak obrasca (kolo forms template); najviše 64 MiB.", "CSV, JSONL ili XLSX (Excel), jedan zapis po redu, kao šablon obrasca (kolo forms template); najviše 64 MiB.", "CSV, JSONL или XLSX (Excel), еден запис по ред, како шаблонот на образецот (kolo forms template); најмногу 64 MiB."),
	"ui.import.got":              l6k("Got", "Uneto", "Uneseno", "Uneseno", "Внесено"),
	"ui.import.intro":            l6k("Import many records at once from a file. Every row is checked first: if one is wrong, nothing is stored and each problem is listed with its row.", "Uvezite više zapisa odjednom iz datoteke. Svaki red se prvo proverava: ako je jedan pogrešan, ništa se ne čuva, a svaki problem se navodi sa svojim redom.", "Uvezite više zapisa odjednom iz datoteke. Svaki se redak najprije provjerava: ako je jedan pogrešan, ništa se ne sprema, a svaki se problem navodi sa svojim retkom.", "Uvezite više zapisa odjednom iz datoteke. Svaki red se prvo provjerava: ako je jedan pogrešan, ništa se ne čuva, a svaki problem se navodi sa svojim redom.", "Увезете повеќе записи одеднаш од датотека. Секој ред прво се проверува: ако еден е погрешен, ништо не се зачувува, а секој проблем се наведува со својот ред."),
	"ui.import.line":             l6k("line %d", "linija %d", "linija %d", "linija %d", "линија %d"),
	"ui.import.more":             l6k("and %d more", "i još %d", "i još %d", "i još %d", "и уште %d"),
	"ui.import.no_file":          l6k("Choose a file to import.", "Izaberite datoteku za uvoz.", "Odaberite datoteku za uvoz.", "Izaberite datoteku za uvoz.", "Изберете датотека за увоз."),
	"ui.import.problems":         l6k("%d problems in %d of %d rows.", "%d problema u %d od %d redova.", "%d problema u %d od %d redaka.", "%d problema u %d od %d redova.", "%d проблеми во %d од %d редови."),
	"ui.import.record":           l6k("record %d", "zapis %d", "zapis %d", "zapis %d", "запис %d"),
	"ui.import.records_written":  l6k("%d of %d records written", "upisano %d od %d zapisa", "zapisano %d od %d zapisa", "upisano %d od %d zapisa", "запишани %d од %d записи"),
	"ui.import.refused":          l6k("Nothing was stored: the file has problems.", "Ništa nije sačuvano: datoteka ima probleme.", "Ništa nije spremljeno: datoteka ima probleme.", "Ništa nije sačuvano: datoteka ima probleme.", "Ништо не е зачувано: датотеката има проблеми."),
	"ui.import.row":              l6k("row %d", "red %d", "redak %d", "red %d", "ред %d"),
	"ui.import.rule":             l6k("Problem", "Problem", "Problem", "Problem", "Проблем"),
	"ui.import.show":             l6k("Show the imported records", "Prikaži uvezene zapise", "Prikaži uvezene zapise", "Prikaži uvezene zapise", "Прикажи ги увезените записи"),
	"ui.import.start":            l6k("Import", "Uvezi", "Uvezi", "Uvezi", "Увези"),
	"ui.import.unchecked":        l6k("Checking stopped: %d rows from row %d on were not checked.", "Provera je prekinuta: %d redova od reda %d nije provereno.", "Provjera je prekinuta: %d redaka od retka %d nije provjereno.", "Provjera je prekinuta: %d redova od reda %d nije provjereno.", "Проверката запре: %d редови од редот %d не се проверени."),
	"ui.import.where":            l6k("Where", "Gde", "Gdje", "Gdje", "Каде"),
	"ui.import.writing":          l6k("Writing records", "Upisivanje zapisa", "Zapisivanje zapisa", "Upisivanje zapisa", "Запишување на записите"),
	"ui.record.answers":          l6k("Answers", "Odgovori", "Odgovori", "Odgovori", "Одговори"),
	"ui.record.common":           l6k("Common indicators (what the network's figures are computed from)", "Zajednički pokazatelji (iz kojih se računaju podaci mreže)", "Zajednički pokazatelji (iz kojih se izračunavaju podaci mreže)", "Zajednički pokazatelji (iz kojih se računaju podaci mreže)", "Заеднички показатели (од кои се пресметуваат податоците на мрежата)"),
	"ui.record.delete":           l6k("Delete", "Obriši", "Izbriši", "Izbriši", "Избриши"),
	"ui.record.delete_confirm":   l6k("Yes, delete this record", "Da, obriši ovaj zapis", "Da, izbriši ovaj zapis", "Da, izbriši ovaj zapis", "Да, избриши го овој запис"),
	"ui.record.delete_question":  l6k("Delete this record? It leaves the list and the network's figures; its earlier versions keep their answers in its history.", "Obrisati ovaj zapis? Nestaje sa liste i iz podataka mreže; njegove ranije verzije čuvaju odgovore u istoriji.", "Izbrisati ovaj zapis? Nestaje s popisa i iz podataka mreže; njegove ranije inačice čuvaju odgovore u povijesti.", "Izbrisati ovaj zapis? Nestaje s liste i iz podataka mreže; njegove ranije verzije čuvaju odgovore u historiji.", "Да се избрише овој запис? Исчезнува од листата и од податоците на мрежата; неговите претходни верзии ги чуваат одговорите во историјата."),
	"ui.record.deleted_note":     l6k("This record is deleted; its earlier versions keep its answers.", "Ovaj zapis je obrisan; njegove ranije verzije čuvaju odgovore.", "Ovaj je zapis izbrisan; njegove ranije inačice čuvaju odgovore.", "Ovaj zapis je izbrisan; njegove ranije verzije čuvaju odgovore.", "Овој запис е избришан; неговите претходни верзии ги чуваат одговорите."),
	"ui.record.edit":             l6k("Edit", "Izmeni", "Uredi", "Uredi", "Измени"),
	"ui.record.history":          l6k("History", "Istorija", "Povijest", "Historija", "Историја"),
	"ui.record.saved":            l6k("Saved.", "Sačuvano.", "Spremljeno.", "Sačuvano.", "Зачувано."),
	"ui.records.all":             l6k("all", "svi", "svi", "svi", "сите"),
	"ui.records.choose_form":     l6k("Choose the form to enter a record on:", "Izaberite obrazac za unos zapisa:", "Odaberite obrazac za unos zapisa:", "Izaberite obrazac za unos zapisa:", "Изберете образец за внес на запис:"),
	"ui.records.download":        l6k("Download", "Preuzmi", "Preuzmi", "Preuzmi", "Преземи"),
	"ui.records.export":          l6k("Export", "Izvoz", "Izvoz", "Izvoz", "Извоз"),
	"ui.records.export_help":     l6k("The records the filter above selects, with every answer, personal ones included: keep the file safe. A CSV file holds one form.", "Zapisi koje gornji filter bira, sa svim odgovorima, uključujući lične: čuvajte datoteku. CSV datoteka sadrži jedan obrazac.", "Zapisi koje gornji filtar odabire, sa svim odgovorima, uključujući osobne: čuvajte datoteku. CSV datoteka sadrži jedan obrazac.", "Zapisi koje gornji filter bira, sa svim odgovorima, uključujući lične: čuvajte datoteku. CSV datoteka sadrži jedan obrazac.", "Записите што ги избира филтерот погоре, со сите одговори, вклучително и личните: чувајте ја датотеката. CSV датотека содржи еден образец."),
	"ui.records.filter":          l6k("Show", "Prikaži", "Prikaži", "Prikaži", "Прикажи"),
	"ui.records.format":          l6k("Format", "Format", "Format", "Format", "Формат"),
	"ui.records.import":          l6k("Import a file", "Uvezi datoteku", "Uvezi datoteku", "Uvezi datoteku", "Увези датотека"),
	"ui.records.new":             l6k("New record", "Novi zapis", "Novi zapis", "Novi zapis", "Нов запис"),
	"ui.records.next":            l6k("Next", "Sledeća", "Sljedeća", "Sljedeća", "Следна"),
	"ui.records.no_forms":        l6k("No form is served: check the plugins on the Node page.", "Nijedan obrazac nije dostupan: proverite dodatke na stranici Čvor.", "Nijedan obrazac nije dostupan: provjerite dodatke na stranici Čvor.", "Nijedan obrazac nije dostupan: provjerite dodatke na stranici Čvor.", "Ниеден образец не е достапен: проверете ги приклучоците на страницата Јазол."),
	"ui.records.none":            l6k("No records.", "Nema zapisa.", "Nema zapisa.", "Nema zapisa.", "Нема записи."),
	"ui.records.of_import":       l6k("Records of import", "Zapisi uvoza", "Zapisi uvoza", "Zapisi uvoza", "Записи од увозот"),
	"ui.records.pages":           l6k("Pages", "Stranice", "Stranice", "Stranice", "Страници"),
	"ui.records.prev":            l6k("Previous", "Prethodna", "Prethodna", "Prethodna", "Претходна"),
	"ui.records.record":          l6k("Record", "Zapis", "Zapis", "Zapis", "Запис"),
	"ui.records.search":          l6k("Search", "Pretraga", "Pretraživanje", "Pretraga", "Пребарување"),
	"ui.records.search_expired":  l6k("That search was in an earlier session: search again.", "Ta pretraga je bila u ranijoj sesiji: pretražite ponovo.", "To je pretraživanje bilo u ranijoj sesiji: pretražite ponovno.", "Ta pretraga je bila u ranijoj sesiji: pretražite ponovo.", "Тоа пребарување беше во претходна сесија: пребарајте повторно."),
	"ui.records.search_help":     l6k("Searches the answers that are not personal or free text: courts, lists, dates.", "Pretražuje odgovore koji nisu lični ni slobodan tekst: sudove, liste, datume.", "Pretražuje odgovore koji nisu osobni ni slobodni tekst: sudove, popise, datume.", "Pretražuje odgovore koji nisu lični ni slobodan tekst: sudove, liste, datume.", "Пребарува во одговорите што не се лични ни слободен текст: судови, листи, датуми."),
	"ui.records.showing":         l6k("Records %d–%d of %d", "Zapisi %d–%d od %d", "Zapisi %d–%d od %d", "Zapisi %d–%d od %d", "Записи %d–%d од %d"),
	"ui.records.since":           l6k("From", "Od", "Od", "Od", "Од"),
	"ui.records.until":           l6k("To", "Do", "Do", "Do", "До"),
}

// The node pages (node/ui node_*.go).
var nodeWebTexts = map[UIKey]Label{
	"ui.node.addrs":         l6k("Addresses", "Adrese", "Adrese", "Adrese", "Адреси"),
	"ui.node.age":           l6k("Age key (answers to this node's queries are sealed to it)", "Age ključ (odgovori na upite ovog čvora šifruju se za njega)", "Age ključ (odgovori na upite ovog čvora šifriraju se za njega)", "Age ključ (odgovori na upite ovog čvora šifruju se za njega)", "Age клуч (одговорите на прашањата на овој јазол се шифрираат за него)"),
	"ui.node.api":           l6k("Local API", "Lokalni API", "Lokalni API", "Lokalni API", "Локален API"),
	"ui.node.audit":         l6k("Audit log", "Dnevnik revizije", "Revizijski dnevnik", "Dnevnik revizije", "Ревизорски дневник"),
	"ui.node.audit_broken":  l6k("The chain is broken", "Lanac je prekinut", "Lanac je prekinut", "Lanac je prekinut", "Синџирот е прекинат"),
	"ui.node.audit_empty":   l6k("The log is empty.", "Dnevnik je prazan.", "Dnevnik je prazan.", "Dnevnik je prazan.", "Дневникот е празен."),
	"ui.node.audit_intro":   l6k("Every federated query this node sent, received, answered or refused, each entry chained to the one before by its SHA-256. The log never holds a figure or a record.", "Svaki federativni upit koji je ovaj čvor poslao, primio, odgovorio ili odbio, svaki unos vezan za prethodni svojim SHA-256. Dnevnik nikada ne sadrži podatak ni zapis.", "Svaki federativni upit koji je ovaj čvor poslao, primio, odgovorio ili odbio, svaki unos vezan uz prethodni svojim SHA-256. Dnevnik nikada ne sadrži podatak ni zapis.", "Svaki federativni upit koji je ovaj čvor poslao, primio, odgovorio ili odbio, svaki unos vezan za prethodni svojim SHA-256. Dnevnik nikada ne sadrži podatak ni zapis.", "Секое федеративно прашање што овој јазол го испратил, примил, одговорил или одбил, секој запис поврзан со претходниот преку својот SHA-256. Дневникот никогаш не содржи податок ни запис."),
	"ui.node.audit_valid":   l6k("The chain is whole up to entry %d:", "Lanac je ceo do unosa %d:", "Lanac je cijel do unosa %d:", "Lanac je cijel do unosa %d:", "Синџирот е цел до записот %d:"),
	"ui.node.built_in":      l6k("built in", "ugrađen", "ugrađen", "ugrađen", "вграден"),
	"ui.node.created":       l6k("First started", "Prvi put pokrenut", "Prvi put pokrenut", "Prvi put pokrenut", "Прв пат стартуван"),
	"ui.node.event":         l6k("Event", "Događaj", "Događaj", "Događaj", "Настан"),
	"ui.node.external":      l6k("external", "spoljni", "vanjski", "vanjski", "надворешен"),
	"ui.node.failing":       l6k("failing", "ne radi", "ne radi", "ne radi", "не работи"),
	"ui.node.forms":         l6k("Forms", "Obrasci", "Obrasci", "Obrasci", "Обрасци"),
	"ui.node.health":        l6k("Health", "Stanje", "Stanje", "Stanje", "Состојба"),
	"ui.node.healthy":       l6k("%d of %d healthy", "%d od %d ispravno", "%d od %d ispravno", "%d od %d ispravno", "%d од %d исправни"),
	"ui.node.idle":          l6k("stopped, starts when needed", "zaustavljen, pokreće se po potrebi", "zaustavljen, pokreće se po potrebi", "zaustavljen, pokreće se po potrebi", "запрен, се стартува по потреба"),
	"ui.node.last":          l6k("Last entries", "Poslednji unosi", "Posljednji unosi", "Posljednji unosi", "Последни записи"),
	"ui.node.no_peers":      l6k("No peer is connected now.", "Trenutno nije povezan nijedan čvor.", "Trenutačno nije povezan nijedan čvor.", "Trenutno nije povezan nijedan čvor.", "Моментално не е поврзан ниту еден јазол."),
	"ui.node.no_plugins":    l6k("No form plugin runs.", "Nijedan dodatak za obrasce ne radi.", "Nijedan dodatak za obrasce ne radi.", "Nijedan dodatak za obrasce ne radi.", "Ниеден приклучок за обрасци не работи."),
	"ui.node.not_member":    l6k("not a member", "nije članica", "nije članica", "nije članica", "не е членка"),
	"ui.node.org":           l6k("Organisation", "Organizacija", "Organizacija", "Organizacija", "Организација"),
	"ui.node.peer_id":       l6k("Peer ID", "ID čvora", "ID čvora", "ID čvora", "ID на јазолот"),
	"ui.node.peers":         l6k("Peers", "Povezani čvorovi", "Povezani čvorovi", "Povezani čvorovi", "Поврзани јазли"),
	"ui.node.plugin":        l6k("Plugin", "Dodatak", "Dodatak", "Dodatak", "Приклучок"),
	"ui.node.plugins":       l6k("Plugins", "Dodaci", "Dodaci", "Dodaci", "Приклучоци"),
	"ui.node.query":         l6k("Query", "Upit", "Upit", "Upit", "Прашање"),
	"ui.node.released":      l6k("Released", "Objavljeno", "Objavljeno", "Objavljeno", "Објавени"),
	"ui.node.requester":     l6k("Asked by", "Upit postavio", "Upit postavio", "Upit postavio", "Прашањето го поставил"),
	"ui.node.restarts":      l6k("Restarts", "Ponovna pokretanja", "Ponovna pokretanja", "Ponovna pokretanja", "Рестартирања"),
	"ui.node.revoked":       l6k("revoked", "opozvana", "opozvana", "opozvana", "отповикана"),
	"ui.node.roles":         l6k("Roles", "Uloge", "Uloge", "Uloge", "Улоги"),
	"ui.node.running":       l6k("running", "radi", "radi", "radi", "работи"),
	"ui.node.starts":        l6k("%d starts", "%d pokretanja", "%d pokretanja", "%d pokretanja", "%d стартувања"),
	"ui.node.status":        l6k("Status", "Stanje", "Stanje", "Stanje", "Состојба"),
	"ui.node.store":         l6k("Store", "Skladište", "Spremište", "Skladište", "Складиште"),
	"ui.node.store_ok":      l6k("can be written", "upisivo", "moguće pisanje", "upisivo", "може да се запишува"),
	"ui.node.store_problem": l6k("The store cannot be written", "U skladište se ne može upisivati", "U spremište se ne može pisati", "U skladište se ne može upisivati", "Во складиштето не може да се запишува"),
	"ui.node.suppressed":    l6k("Suppressed", "Potisnuto", "Potisnuto", "Potisnuto", "Потиснати"),
	"ui.node.time":          l6k("Time (UTC)", "Vreme (UTC)", "Vrijeme (UTC)", "Vrijeme (UTC)", "Време (UTC)"),
	"ui.node.uptime":        l6k("Running for", "Radi već", "Radi već", "Radi već", "Работи веќе"),
	"ui.node.verify":        l6k("Verify the chain", "Proveri lanac", "Provjeri lanac", "Provjeri lanac", "Провери го синџирот"),
}
