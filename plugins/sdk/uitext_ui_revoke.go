package sdk

// The web interface's revocation of a member (node/ui's network_revoke.go,
// `kolo members revoke`): keys "ui.revoke.*".
func init() {
	for k, v := range revokeTexts {
		uiTexts[k] = v
	}
}

var revokeTexts = map[UIKey]Label{
	"ui.revoke.link":        l6("Revoke…", "Opozovi…", "Opozovi…", "Opozovi…", "Отповикај…"),
	"ui.revoke.leave_link":  l6("Leave the network…", "Napusti mrežu…", "Napusti mrežu…", "Napusti mrežu…", "Напушти ја мрежата…"),
	"ui.revoke.title":       l6("Revoke a member", "Opoziv članice", "Opoziv članice", "Opoziv članice", "Отповикување на членка"),
	"ui.revoke.leave_title": l6("Leave the network", "Napuštanje mreže", "Napuštanje mreže", "Napuštanje mreže", "Напуштање на мрежата"),
	"ui.revoke.what": l6("You are about to revoke this organisation's membership of the network. The revocation is signed with this node's key and sent to every member. From then on nothing the member signs counts, whatever date it carries, and it cannot be admitted again with the same node key.",
		"Upravo ćete opozvati članstvo ove organizacije u mreži. Opoziv se potpisuje ključem ovog čvora i šalje svim članicama. Od tada se ništa što članica potpiše ne računa, bez obzira na datum koji nosi, i ne može ponovo biti primljena sa istim ključem čvora.",
		"Upravo ćete opozvati članstvo ove organizacije u mreži. Opoziv se potpisuje ključem ovoga čvora i šalje svim članicama. Od tada se ništa što članica potpiše ne računa, bez obzira na datum koji nosi, i ne može ponovno biti primljena s istim ključem čvora.",
		"Upravo ćete opozvati članstvo ove organizacije u mreži. Opoziv se potpisuje ključem ovog čvora i šalje svim članicama. Od tada se ništa što članica potpiše ne računa, bez obzira na datum koji nosi, i ne može ponovo biti primljena s istim ključem čvora.",
		"Ќе го отповикате членството на оваа организација во мрежата. Отповикувањето се потпишува со клучот на овој јазол и се испраќа до сите членки. Оттогаш ништо што членката ќе потпише не се смета, без оглед на датумот што го носи, и не може повторно да биде примена со истиот клуч на јазолот."),
	"ui.revoke.leave_what": l6("You are about to end your organisation's membership of the network. The revocation is signed with this node's key and sent to every member. From then on nothing this node signs counts in the network, and it cannot be admitted again with the same key.",
		"Upravo ćete okončati članstvo vaše organizacije u mreži. Opoziv se potpisuje ključem ovog čvora i šalje svim članicama. Od tada se ništa što ovaj čvor potpiše ne računa u mreži, i ne može ponovo biti primljen sa istim ključem.",
		"Upravo ćete okončati članstvo vaše organizacije u mreži. Opoziv se potpisuje ključem ovoga čvora i šalje svim članicama. Od tada se ništa što ovaj čvor potpiše ne računa u mreži, i ne može ponovno biti primljen s istim ključem.",
		"Upravo ćete okončati članstvo vaše organizacije u mreži. Opoziv se potpisuje ključem ovog čvora i šalje svim članicama. Od tada se ništa što ovaj čvor potpiše ne računa u mreži, i ne može ponovo biti primljen s istim ključem.",
		"Ќе го прекинете членството на вашата организација во мрежата. Отповикувањето се потпишува со клучот на овој јазол и се испраќа до сите членки. Оттогаш ништо што овој јазол ќе потпише не се смета во мрежата, и не може повторно да биде примен со истиот клуч."),
	"ui.revoke.keeps": l6("What stays: its endorsements of the Declaration stay in the record, marked as a revoked member's, but no longer count towards the threshold; the revocations it signed keep counting; the members it admitted stay members, unless you also drop them.",
		"Šta ostaje: njene podrške Deklaraciji ostaju zabeležene, označene kao podrške opozvane članice, ali se više ne računaju u prag; opozivi koje je potpisala i dalje važe; članice koje je primila ostaju članice, osim ako i njih ne uklonite.",
		"Što ostaje: njezine potpore Deklaraciji ostaju zabilježene, označene kao potpore opozvane članice, ali se više ne računaju u prag; opozivi koje je potpisala i dalje vrijede; članice koje je primila ostaju članice, osim ako i njih ne uklonite.",
		"Šta ostaje: njene podrške Deklaraciji ostaju zabilježene, označene kao podrške opozvane članice, ali se više ne računaju u prag; opozivi koje je potpisala i dalje važe; članice koje je primila ostaju članice, osim ako i njih ne uklonite.",
		"Што останува: нејзините поддршки на Декларацијата остануваат забележани, означени како поддршки на отповикана членка, но повеќе не се сметаат во прагот; отповикувањата што ги потпишала и понатаму важат; членките што ги примила остануваат членки, освен ако не ги отстраните и нив."),
	"ui.revoke.admitted": l6("Members it admitted", "Članice koje je primila", "Članice koje je primila", "Članice koje je primila", "Членки што ги примила"),
	"ui.revoke.drop": l6("Also drop the members it admitted: they lose their membership, and another partner may invite them again.",
		"Ukloni i članice koje je primila: gube članstvo, a drugi partner može ponovo da ih pozove.",
		"Ukloni i članice koje je primila: gube članstvo, a drugi ih partner može ponovno pozvati.",
		"Ukloni i članice koje je primila: gube članstvo, a drugi partner ih može ponovo pozvati.",
		"Отстрани ги и членките што ги примила: го губат членството, а друг партнер може повторно да ги покани."),
	"ui.revoke.tick": l6("I confirm that this node revokes this organisation's membership of the network.",
		"Potvrđujem da ovaj čvor opoziva članstvo ove organizacije u mreži.",
		"Potvrđujem da ovaj čvor opoziva članstvo ove organizacije u mreži.",
		"Potvrđujem da ovaj čvor opoziva članstvo ove organizacije u mreži.",
		"Потврдувам дека овој јазол го отповикува членството на оваа организација во мрежата."),
	"ui.revoke.leave_tick":    l6("I confirm that my organisation leaves the network.", "Potvrđujem da moja organizacija napušta mrežu.", "Potvrđujem da moja organizacija napušta mrežu.", "Potvrđujem da moja organizacija napušta mrežu.", "Потврдувам дека мојата организација ја напушта мрежата."),
	"ui.revoke.confirm":       l6("Revoke", "Opozovi", "Opozovi", "Opozovi", "Отповикај"),
	"ui.revoke.leave_confirm": l6("Leave the network", "Napusti mrežu", "Napusti mrežu", "Napusti mrežu", "Напушти ја мрежата"),
	"ui.revoke.unticked":      l6("Tick the box to confirm the revocation.", "Označite polje da potvrdite opoziv.", "Označite polje kako biste potvrdili opoziv.", "Označite polje da potvrdite opoziv.", "Означете го полето за да го потврдите отповикувањето."),
	"ui.revoke.refused": l6("This node may not revoke this member: only a founder, the organisation that admitted it, or the member itself may revoke it. Nothing was revoked.",
		"Ovaj čvor ne može da opozove ovu članicu: može je opozvati samo osnivač, organizacija koja ju je primila ili sama članica. Ništa nije opozvano.",
		"Ovaj čvor ne može opozvati ovu članicu: može je opozvati samo osnivač, organizacija koja ju je primila ili sama članica. Ništa nije opozvano.",
		"Ovaj čvor ne može opozvati ovu članicu: može je opozvati samo osnivač, organizacija koja ju je primila ili sama članica. Ništa nije opozvano.",
		"Овој јазол не може да ја отповика оваа членка: може да ја отповика само основач, организацијата што ја примила или самата членка. Ништо не е отповикано."),
	"ui.revoke.already":        l6("This member is already revoked. Nothing was revoked.", "Ova članica je već opozvana. Ništa nije opozvano.", "Ova je članica već opozvana. Ništa nije opozvano.", "Ova članica je već opozvana. Ništa nije opozvano.", "Оваа членка е веќе отповикана. Ништо не е отповикано."),
	"ui.revoke.notice.revoked": l6("The member is revoked; the revocation was sent to the network.", "Članica je opozvana; opoziv je poslat mreži.", "Članica je opozvana; opoziv je poslan mreži.", "Članica je opozvana; opoziv je poslan mreži.", "Членката е отповикана; отповикувањето е испратено до мрежата."),
	"ui.revoke.notice.left":    l6("This node left the network; the revocation was sent to the network.", "Ovaj čvor je napustio mrežu; opoziv je poslat mreži.", "Ovaj je čvor napustio mrežu; opoziv je poslan mreži.", "Ovaj čvor je napustio mrežu; opoziv je poslan mreži.", "Овој јазол ја напушти мрежата; отповикувањето е испратено до мрежата."),
}
